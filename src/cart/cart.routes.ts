/**
 * Cart routes (API.md "Cart"). Each handler validates, then makes ONE RPC call to the caller's cart Durable
 * Object, which serializes every change to that cart; D1 round trips made inside the object are added to this
 * request's count so `Server-Timing` tells the truth.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { currentUser } from '../http/auth';
import { callerCart } from '../http/cart-object';
import { defineRoute } from '../http/route';
import { unwrapRpcResult } from '../http/rpc-result';
import { AddItemBody, CartItemParams, CartLineView, CartView, SetQuantityBody, cartLineView, cartView } from './cart.schemas';

const API = '/api/v1';
const ITEM = `${API}/cart/:item_id{[0-9]+}`;

const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;
const cart = { auth: 'customer' as const, tag: 'Cart' };

export const cartRoutes = [
  defineRoute({
    ...cart, method: 'get', path: `${API}/cart/`, summary: 'The caller’s cart at current prices',
    description: 'Lines whose product was archived or deleted are removed and reported once in `notices`.',
    responses: { 200: { description: 'Cart', schema: CartView } },
    handler: async (c) => {
      const view = unwrapRpcResult(c, await callerCart(c).getCart());
      return c.json(cartView(view, origin(c)), 200, { 'Cache-Control': 'no-store' });
    },
  }),

  defineRoute({
    // The account is checked in the object's one D1 round trip (with the product's stock), not by the guard.
    ...cart, method: 'post', path: `${API}/cart/`, check: 'token', summary: 'Add a product (merges into its line)',
    request: { body: AddItemBody },
    responses: { 201: { description: 'New line', schema: CartLineView }, 200: { description: 'Merged into the existing line', schema: CartLineView } },
    errors: ['not_found', 'insufficient_stock', 'malformed_json'],
    handler: async (c, { body }) => {
      const r = unwrapRpcResult(c, await callerCart(c).addItem(currentUser(c).id, body.product_id, body.quantity));
      return c.json(cartLineView(r.line, origin(c)), r.created ? 201 : 200);
    },
  }),

  defineRoute({
    ...cart, method: ['put', 'patch'], path: `${ITEM}/`, check: 'token', summary: 'Set a line’s quantity',
    request: { params: CartItemParams, body: SetQuantityBody },
    responses: { 200: { description: 'Line', schema: CartLineView } },
    errors: ['not_found', 'insufficient_stock', 'malformed_json'],
    handler: async (c, { params, body }) => {
      const r = unwrapRpcResult(c, await callerCart(c).setQuantity(currentUser(c).id, params.item_id, body.quantity));
      return c.json(cartLineView(r.line, origin(c)));
    },
  }),

  defineRoute({
    ...cart, method: 'delete', path: `${ITEM}/`, summary: 'Remove a line',
    request: { params: CartItemParams },
    responses: { 204: { description: 'Removed' } },
    errors: ['not_found'],
    handler: async (c, { params }) => {
      unwrapRpcResult(c, await callerCart(c).removeLine(params.item_id));
      return c.body(null, 204);
    },
  }),

  defineRoute({
    ...cart, method: 'delete', path: `${API}/cart/`, summary: 'Empty the cart',
    responses: { 204: { description: 'Emptied' } },
    handler: async (c) => {
      unwrapRpcResult(c, await callerCart(c).clear());
      return c.body(null, 204);
    },
  }),
];
