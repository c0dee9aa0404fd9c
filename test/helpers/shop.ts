/** Cart and checkout helpers shared by the cart/order test files. */
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { orders, products } from '../../src/db/schema';
import { api, json } from './http';
import { db } from './factories';

export const address = (over: Record<string, unknown> = {}) => ({
  full_name: 'Ada Lovelace',
  line1: '12 Analytical Street',
  city: 'London',
  postal_code: 'N1 9GU',
  country: 'GB',
  ...over,
});

export const checkoutBody = (over: Record<string, unknown> = {}) => ({ shipping_address: address(), payment_method: 'cod', ...over });

export async function addToCart(token: string, productId: number, quantity = 1) {
  const res = await api('POST', '/api/v1/cart/', { token, body: { product_id: productId, quantity } });
  expect([200, 201], await res.clone().text()).toContain(res.status);
  return json(res);
}

export const checkout = (token: string, body: unknown = checkoutBody(), key?: string) =>
  api('POST', '/api/v1/orders/', { token, body, headers: key ? { 'Idempotency-Key': key } : {} });

export async function stockOf(productId: number): Promise<number> {
  const [row] = await db().select({ stock: products.stock }).from(products).where(eq(products.id, productId));
  return row.stock;
}

export async function ordersOf(userId: number) {
  return db().select().from(orders).where(eq(orders.userId, userId));
}

export const cartStub = (userId: number) => env.CART.get(env.CART.idFromName(String(userId)));
