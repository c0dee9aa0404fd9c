/** HTTP glue shared by the WebSocket routes: the upgrade check, what the object is told, the 101 answer. */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { currentUser } from '../http/auth';
import type { ConnectInfo } from './sockets';

export const SOCKET_CLOSE_CODES =
  'Close codes: `4001` the access token expired (reconnect with a fresh token, `?since=` the last seq seen); `4003` the account was ' +
  'deactivated or lost the role the socket needed; `4008` more than 10 sockets for this user, the oldest was closed; `1000` normal closure. ' +
  'The server answers a text `ping` with `pong` (without waking the object).';

export const socketAuthDoc =
  'Authenticated BEFORE the upgrade: the access token goes in `Sec-WebSocket-Protocol: bearer, <token>` (the answer selects the `bearer` ' +
  'subprotocol) or in `?token=` (an `Authorization: Bearer` header works for non-browser clients). Missing, invalid or expired token: a 401 ' +
  'problem, never a 101. A request without `Upgrade: websocket`: 426.';

export const tokenParam = z.optional(z.string().check(z.maxLength(4096))).check(z.describe('Access token, for clients that cannot send a subprotocol'));

/** A plain GET on a socket route is a 426 problem naming the protocol to upgrade to. */
export function assertUpgrade(c: Context<AppEnv>): void {
  if ((c.req.header('Upgrade') ?? '').toLowerCase() !== 'websocket') {
    throw new AppError('upgrade_required', 'This endpoint is a WebSocket: open it with a GET carrying `Upgrade: websocket`.', { headers: { Upgrade: 'websocket' } });
  }
}

/** Who the object should accept: the authenticated caller, until the access token expires. */
export function connectInfoOf(c: Context<AppEnv>): ConnectInfo {
  const user = currentUser(c);
  return { userId: user.id, expMs: (user.exp ?? 0) * 1000 };
}

/** The 101 for the client, selecting the `bearer` subprotocol when the client offered it (browsers require that). */
export function switchProtocols(c: Context<AppEnv>, fromObject: Response): Response {
  if (fromObject.status !== 101 || !fromObject.webSocket) throw new Error(`socket upgrade refused by the object (${fromObject.status})`);
  const offered = (c.req.header('Sec-WebSocket-Protocol') ?? '').split(',').map((p) => p.trim().toLowerCase());
  const headers: Record<string, string> = offered.includes('bearer') ? { 'Sec-WebSocket-Protocol': 'bearer' } : {};
  return new Response(null, { status: 101, webSocket: fromObject.webSocket, headers });
}
