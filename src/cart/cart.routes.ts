/**
 * Cart routes (API.md "Cart"). Each handler validates, then makes ONE RPC call to the caller's cart Durable
 * Object, which serializes every change to that cart; D1 round trips made inside the object are added to this
 * request's count so `Server-Timing` tells the truth.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError, type FieldError } from '../errors';
import { currentUser, requireUser } from '../http/auth';
import { describe } from '../http/openapi';
import { jsonBody, params } from '../http/validate';
import type { Failure } from './cart.do';
import { AddItemBody, CartItemParams, CartLineView, CartView, SetQuantityBody, cartLineView, cartView } from './cart.schemas';

export const cartRoutes = new Hono<AppEnv>({ strict: false });
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

describe({
  method: 'get', path: `${API}/cart/`, tag: 'Cart', summary: 'The caller’s cart at current prices', auth: 'bearer',
  description: 'Lines whose product was archived or deleted are removed and reported once in `notices`.',
  responses: { 200: { description: 'Cart', schema: CartView } },
});
cartRoutes.get(`${API}/cart`, requireUser, async (c) => {
  const cart = settle(c, await cartOf(c).getCart());
  return c.json(cartView(cart, origin(c)), 200, { 'Cache-Control': 'no-store' });
});

describe({
  method: 'post', path: `${API}/cart/`, tag: 'Cart', summary: 'Add a product (merges into its line)', auth: 'bearer', body: AddItemBody,
  responses: { 201: { description: 'New line', schema: CartLineView }, 200: { description: 'Merged into the existing line', schema: CartLineView } },
  errors: ['not_found', 'insufficient_stock', 'malformed_json'],
});
cartRoutes.post(`${API}/cart`, requireUser, jsonBody(AddItemBody), async (c) => {
  const { product_id, quantity } = c.req.valid('json');
  const r = settle(c, await cartOf(c).addItem(product_id, quantity));
  return c.json(cartLineView(r.line, origin(c)), r.created ? 201 : 200);
});

for (const method of ['put', 'patch'] as const) {
  describe({
    method, path: `${API}/cart/:item_id/`, tag: 'Cart', summary: 'Set a line’s quantity', auth: 'bearer', params: CartItemParams, body: SetQuantityBody,
    responses: { 200: { description: 'Line', schema: CartLineView } }, errors: ['not_found', 'insufficient_stock', 'malformed_json'],
  });
}
cartRoutes.on(['PUT', 'PATCH'], ITEM, requireUser, params(CartItemParams), jsonBody(SetQuantityBody), async (c) => {
  const r = settle(c, await cartOf(c).setQuantity(c.req.valid('param').item_id, c.req.valid('json').quantity));
  return c.json(cartLineView(r.line, origin(c)));
});

describe({
  method: 'delete', path: `${API}/cart/:item_id/`, tag: 'Cart', summary: 'Remove a line', auth: 'bearer', params: CartItemParams,
  responses: { 204: { description: 'Removed' } }, errors: ['not_found'],
});
cartRoutes.delete(ITEM, requireUser, params(CartItemParams), async (c) => {
  settle(c, await cartOf(c).removeLine(c.req.valid('param').item_id));
  return c.body(null, 204);
});

describe({ method: 'delete', path: `${API}/cart/`, tag: 'Cart', summary: 'Empty the cart', auth: 'bearer', responses: { 204: { description: 'Emptied' } } });
cartRoutes.delete(`${API}/cart`, requireUser, async (c) => {
  settle(c, await cartOf(c).clear());
  return c.body(null, 204);
});
