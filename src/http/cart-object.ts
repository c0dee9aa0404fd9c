/**
 * The caller's cart Durable Object (one per user id), for the routes that talk to it: the cart routes and the
 * checkout. Kept here, below both, so neither routes file imports the other.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { currentUser } from './auth';

export const callerCart = (c: Context<AppEnv>) => c.env.CART.get(c.env.CART.idFromName(String(currentUser(c).id)));
