/**
 * Hibernatable WebSockets shared by the notification and conversation Durable Objects: the close codes every
 * client can rely on, the attachment each socket carries through hibernation, and the bookkeeping of expiry
 * and the per-user cap. Nothing here keeps state in memory: an object may be evicted between any two events.
 */

/** Close codes (documented in README and OpenAPI). 4xxx is the range RFC 6455 leaves to applications. */
export const CLOSE = {
  /** The access token the socket was opened with has expired: reconnect with a fresh one. */
  tokenExpired: { code: 4001, reason: 'token_expired' },
  /** The account was deactivated, or lost the role the socket needed (staff demoted). */
  accessRevoked: { code: 4003, reason: 'access_revoked' },
  /** The user opened more than the allowed number of sockets: the oldest one is closed. */
  tooManySockets: { code: 4008, reason: 'too_many_sockets' },
} as const;

export type CloseReason = (typeof CLOSE)[keyof typeof CLOSE];

/** What a socket remembers about its owner (kept by the runtime across hibernation). */
export interface SocketAttachment {
  userId: number;
  /** Access token expiry, ms since the epoch. */
  expMs: number;
  openedMs: number;
}

/** What the Worker tells an object about the socket it asks it to accept (the caller is already authenticated). */
export interface ConnectInfo {
  userId: number;
  expMs: number;
}

const HEADER_USER = 'X-Socket-User';
const HEADER_EXP = 'X-Socket-Exp';

/**
 * The request the Worker sends to an object's `fetch` for an upgrade. It is built from scratch, never forwarded
 * from the client, so a client cannot inject the identity headers.
 */
export function connectRequest(info: ConnectInfo, query: Record<string, string | undefined> = {}): Request {
  const url = new URL('https://do.internal/connect');
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  return new Request(url, { headers: { Upgrade: 'websocket', [HEADER_USER]: String(info.userId), [HEADER_EXP]: String(info.expMs) } });
}

export function connectInfo(request: Request): ConnectInfo | null {
  const userId = Number(request.headers.get(HEADER_USER));
  const expMs = Number(request.headers.get(HEADER_EXP));
  if (request.headers.get('Upgrade') !== 'websocket' || !Number.isSafeInteger(userId) || !(expMs > 0)) return null;
  return { userId, expMs };
}

export const attachmentOf = (ws: WebSocket) => ws.deserializeAttachment() as SocketAttachment | null;

/** Sockets still open (a socket we asked to close lingers in getWebSockets until the handshake ends). */
export function openSockets(ctx: DurableObjectState, tag?: string): WebSocket[] {
  return ctx.getWebSockets(tag).filter((ws) => ws.readyState === 1);
}

export function safeClose(ws: WebSocket, why: { code: number; reason: string }): void {
  try {
    ws.close(why.code, why.reason);
  } catch {
    // Already closed by the peer: nothing to do.
  }
}

/**
 * Accepts a new hibernatable socket for `info.userId`, tagged by user, after closing that user's oldest sockets
 * beyond `cap - 1`, so the user holds at most `cap` afterwards.
 */
export function acceptSocket(ctx: DurableObjectState, info: ConnectInfo, cap: number): { client: WebSocket; server: WebSocket } {
  const tag = `u:${info.userId}`;
  const mine = openSockets(ctx, tag).sort((a, b) => (attachmentOf(a)?.openedMs ?? 0) - (attachmentOf(b)?.openedMs ?? 0));
  for (const old of mine.slice(0, Math.max(0, mine.length - (cap - 1)))) safeClose(old, CLOSE.tooManySockets);
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, [tag]);
  server.serializeAttachment({ userId: info.userId, expMs: info.expMs, openedMs: Date.now() } satisfies SocketAttachment);
  return { client, server };
}

/**
 * Sends `text` to every open socket (of one user with `tag`), first closing those whose token has expired,
 * so nothing is ever pushed on an expired token. Returns how many sockets received it.
 */
export function broadcast(ctx: DurableObjectState, text: string, tag?: string): number {
  const now = Date.now();
  let sent = 0;
  for (const ws of openSockets(ctx, tag)) {
    if ((attachmentOf(ws)?.expMs ?? 0) <= now) {
      safeClose(ws, CLOSE.tokenExpired);
      continue;
    }
    try {
      ws.send(text);
      sent++;
    } catch {
      // The peer went away between the state check and the send.
    }
  }
  return sent;
}

/** Closes the sockets whose token has expired; returns the earliest expiry among those left open. */
export function closeExpired(ctx: DurableObjectState, now = Date.now()): number | null {
  let earliest: number | null = null;
  for (const ws of openSockets(ctx)) {
    const exp = attachmentOf(ws)?.expMs ?? 0;
    if (exp <= now) safeClose(ws, CLOSE.tokenExpired);
    else earliest = earliest === null ? exp : Math.min(earliest, exp);
  }
  return earliest;
}

/** Moves the object's alarm earlier to `at` when it is not already set sooner. */
export async function alarmNoLaterThan(ctx: DurableObjectState, at: number | null): Promise<void> {
  if (at === null) return;
  const current = await ctx.storage.getAlarm();
  if (current === null || at < current) await ctx.storage.setAlarm(at);
}

/** Answers the peer's close (the runtime may already have done so). 1005/1006 cannot be sent back. */
export function answerClose(ws: WebSocket, code: number, reason: string): void {
  safeClose(ws, { code: code === 1005 || code === 1006 || code < 1000 ? 1000 : code, reason });
}
