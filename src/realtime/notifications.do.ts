/**
 * One Durable Object per user (named by the user id): the user's open notification sockets (hibernatable; the
 * runtime answers "ping" with "pong" without waking the object) and the user's recent events, numbered by an
 * increasing `seq`, kept in the object's SQLite storage (the last 100, at most 7 days) so a client reconnecting
 * with `?since=<seq>` gets what it missed before anything new.
 *
 * Ordering: the object handles one event at a time, and a connect replays synchronously before it returns, so a
 * reconnecting client sees the replay, then live events, each exactly once and in `seq` order.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { OrderStatusEvent } from '../orders/order-events';
import { acceptSocket, alarmNoLaterThan, answerClose, broadcast, CLOSE, closeExpired, connectInfo, openSockets, safeClose } from './sockets';

export const MAX_SOCKETS_PER_USER = 10;
export const KEEP_EVENTS = 100;
export const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export interface OrderStatusMessage {
  type: 'order.status_changed';
  seq: number;
  order_id: number;
  number: string;
  status: string;
  at: string;
}

export class NotificationsDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, created_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS joined_conversations (conversation_id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL);`);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** A WebSocket upgrade forwarded by the Worker (caller authenticated there); `?since=` replays first. */
  async fetch(request: Request): Promise<Response> {
    const info = connectInfo(request);
    if (!info) return new Response('expected an authenticated websocket upgrade', { status: 400 });
    const { client, server } = acceptSocket(this.ctx, info, MAX_SOCKETS_PER_USER);
    const since = new URL(request.url).searchParams.get('since');
    if (since !== null) {
      for (const row of this.sql.exec<{ body: string }>('SELECT body FROM events WHERE seq > ? ORDER BY seq', Number(since))) server.send(row.body);
    }
    await alarmNoLaterThan(this.ctx, info.expMs);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Records committed status changes of this user's orders and pushes them to every open socket. */
  async publish(events: OrderStatusEvent[]): Promise<number[]> {
    const now = Date.now();
    const seqs: number[] = [];
    for (const e of events) {
      const seq = this.nextSeq();
      const message: OrderStatusMessage = { type: 'order.status_changed', seq, order_id: e.orderId, number: e.number, status: e.status, at: e.at };
      const body = JSON.stringify(message);
      this.sql.exec('INSERT INTO events (seq, body, created_ms) VALUES (?, ?, ?)', seq, body, now);
      broadcast(this.ctx, body);
      seqs.push(seq);
    }
    this.prune(now);
    await alarmNoLaterThan(this.ctx, this.nextPruneAt());
    return seqs;
  }

  /** The last seq handed out (0 before the first event). */
  lastSeq(): number {
    return this.sql.exec<{ v: number }>("SELECT v FROM meta WHERE k = 'seq'").toArray()[0]?.v ?? 0;
  }

  /** Remembers that the user opened a socket on a conversation, so deactivation can close it too. */
  noteConversation(conversationId: number): void {
    this.sql.exec('INSERT OR REPLACE INTO joined_conversations (conversation_id, at_ms) VALUES (?, ?)', conversationId, Date.now());
  }

  /**
   * Closes every notification socket of the user (deactivation) and hands back the conversations the user had
   * sockets on, for the caller to close those as well.
   */
  closeAll(): number[] {
    for (const ws of openSockets(this.ctx)) safeClose(ws, CLOSE.accessRevoked);
    const ids = this.sql.exec<{ conversation_id: number }>('SELECT conversation_id FROM joined_conversations').toArray().map((r) => r.conversation_id);
    this.sql.exec('DELETE FROM joined_conversations');
    return ids;
  }

  /** The conversations the user had sockets on (for a demotion, which only closes staff access). */
  joinedConversations(): number[] {
    return this.sql.exec<{ conversation_id: number }>('SELECT conversation_id FROM joined_conversations').toArray().map((r) => r.conversation_id);
  }

  /** Closes sockets whose token expired and prunes old events; set for the earliest of both. */
  async alarm(): Promise<void> {
    const now = Date.now();
    const nextExpiry = closeExpired(this.ctx, now);
    this.prune(now);
    const prune = this.nextPruneAt();
    const next = [nextExpiry, prune].filter((t): t is number => t !== null);
    if (next.length) await this.ctx.storage.setAlarm(Math.max(now + 1000, Math.min(...next)));
  }

  async webSocketMessage(ws: WebSocket): Promise<void> {
    // Clients only listen (and ping, answered by the runtime); a message on an expired token closes it.
    closeExpired(this.ctx);
    void ws;
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    answerClose(ws, code, reason);
  }

  private nextSeq(): number {
    const seq = this.lastSeq() + 1;
    this.sql.exec("INSERT INTO meta (k, v) VALUES ('seq', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", seq);
    return seq;
  }

  /** Keeps the last KEEP_EVENTS events and nothing older than KEEP_MS. */
  private prune(now: number): void {
    this.sql.exec('DELETE FROM events WHERE seq <= ? OR created_ms < ?', this.lastSeq() - KEEP_EVENTS, now - KEEP_MS);
  }

  private nextPruneAt(): number | null {
    const oldest = this.sql.exec<{ t: number | null }>('SELECT MIN(created_ms) AS t FROM events').one().t;
    return oldest === null ? null : oldest + KEEP_MS;
  }
}
