/**
 * Cart routes (API.md "Cart"). Each handler validates, then makes ONE RPC call to the caller's cart Durable
 * Object, which serializes every change to that cart; D1 round trips made inside the object are added to this
 * request's count so `Server-Timing` tells the truth.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError, type FieldError } from '../errors';
import { currentUser } from '../http/auth';
import { defineRoute } from '../http/route';
import type { Failure } from './cart.do';
import { AddItemBody, CartItemParams, CartLineView, CartView, SetQuantityBody, cartLineView, cartView } from './cart.schemas';

const API = '/api/v1';
const ITEM = `${API}/cart/:item_id{[0-9]+}`;

/** The caller's cart object: one per user id. */
export const cartOf = (c: Context<AppEnv>) => c.env.CART.get(c.env.CART.idFromName(String(currentUser(c).id)));

/** Counts the object's D1 calls and turns a failure result into the AppError the problem handler answers. */
export function settle<R extends { ok: boolean; dbCalls: number }>(c: Context<AppEnv>, result: R): Exclude<R, { ok: false }> {
  c.get('dbCalls').count += result.dbCalls;
  if (!result.ok) {
    const f = result as unknown as Failure;
    throw new AppError(f.code, f.detail, { errors: f.errors as FieldError[] | undefined });
  }
  return result as Exclude<R, { ok: false }>;
}

const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;
const cart = { auth: 'customer' as const, tag: 'Cart' };

export const cartRoutes = [
  defineRoute({
    ...cart, method: 'get', path: `${API}/cart/`, summary: 'The caller’s cart at current prices',
    description: 'Lines whose product was archived or deleted are removed and reported once in `notices`.',
    responses: { 200: { description: 'Cart', schema: CartView } },
    handler: async (c) => {
      const view = settle(c, await cartOf(c).getCart());
      return c.json(cartView(view, origin(c)), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    ...cart, method: 'post', path: `${API}/cart/`, summary: 'Add a product (merges into its line)',
    request: { body: AddItemBody },
    responses: { 201: { description: 'New line', schema: CartLineView }, 200: { description: 'Merged into the existing line', schema: CartLineView } },
    errors: ['not_found', 'insufficient_stock', 'malformed_json'],
    handler: async (c, { body }) => {
      const r = settle(c, await cartOf(c).addItem(body.product_id, body.quantity));
      return c.json(cartLineView(r.line, origin(c)), r.created ? 201 : 200);
    },
  }),

  defineRoute({
    ...cart, method: ['put', 'patch'], path: `${ITEM}/`, summary: 'Set a line’s quantity',
    request: { params: CartItemParams, body: SetQuantityBody },
    responses: { 200: { description: 'Line', schema: CartLineView } },
    errors: ['not_found', 'insufficient_stock', 'malformed_json'],
    handler: async (c, { params, body }) => {
      const r = settle(c, await cartOf(c).setQuantity(params.item_id, body.quantity));
      return c.json(cartLineView(r.line, origin(c)));
    },
  }),

  defineRoute({
    ...cart, method: 'delete', path: `${ITEM}/`, summary: 'Remove a line',
    request: { params: CartItemParams },
    responses: { 204: { description: 'Removed' } },
    errors: ['not_found'],
    handler: async (c, { params }) => {
      settle(c, await cartOf(c).removeLine(params.item_id));
      return c.body(null, 204);
    },
  }),

  defineRoute({
    ...cart, method: 'delete', path: `${API}/cart/`, summary: 'Empty the cart',
    responses: { 204: { description: 'Emptied' } },
    handler: async (c) => {
      settle(c, await cartOf(c).clear());
      return c.body(null, 204);
    },
  }),
];
