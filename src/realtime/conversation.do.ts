/**
 * One Durable Object per conversation (named by its id): the open sockets of its participants (the buyer and
 * staff), hibernatable, with "ping" → "pong" answered by the runtime. It stores nothing: messages live in D1
 * and are pushed here only after their insert has committed.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { acceptSocket, alarmNoLaterThan, answerClose, broadcast, CLOSE, closeExpired, connectInfo, openSockets, safeClose } from './sockets';

/** Sockets one user may hold on one conversation (several tabs); the oldest beyond it is closed. */
export const MAX_SOCKETS_PER_USER_AND_CONVERSATION = 10;

export interface LiveMessage {
  type: 'message';
  id: number;
  conversation_id: number;
  sender_id: number;
  body: string;
  at: string;
}

export class ConversationDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  async fetch(request: Request): Promise<Response> {
    const info = connectInfo(request);
    if (!info) return new Response('expected an authenticated websocket upgrade', { status: 400 });
    const { client } = acceptSocket(this.ctx, info, MAX_SOCKETS_PER_USER_AND_CONVERSATION);
    await alarmNoLaterThan(this.ctx, info.expMs);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Pushes a committed message to every open socket of the conversation (the sender's other tabs included). */
  deliver(message: LiveMessage): number {
    return broadcast(this.ctx, JSON.stringify(message));
  }

  /** Closes one user's sockets here (deactivation, or a demoted admin's staff access). */
  closeUser(userId: number): number {
    const sockets = openSockets(this.ctx, `u:${userId}`);
    for (const ws of sockets) safeClose(ws, CLOSE.accessRevoked);
    return sockets.length;
  }

  async alarm(): Promise<void> {
    const next = closeExpired(this.ctx);
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  async webSocketMessage(): Promise<void> {
    // Messages are posted over HTTP (stored in D1 first); the socket only listens.
    closeExpired(this.ctx);
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    answerClose(ws, code, reason);
  }
}
