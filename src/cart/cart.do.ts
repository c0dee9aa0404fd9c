/**
 * The per-user cart Durable Object (one object per user id, named by the id). It alone owns the user's cart lines,
 * in its own SQLite storage, so mutations of one cart are serialized. Cart and checkout behaviour arrive with the
 * cart issue; this first version owns nothing yet.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

export class CartDO extends DurableObject<Env> {
  ping(): string {
    return 'pong';
  }
}
