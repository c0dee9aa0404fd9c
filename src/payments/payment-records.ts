/** The Stripe columns of an order (not part of the public Order view). */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders } from '../db/schema';

export interface PaymentRecord {
  id: number;
  number: string;
  userId: number;
  status: (typeof orders.$inferSelect)['status'];
  paymentMethod: (typeof orders.$inferSelect)['paymentMethod'];
  paymentStatus: (typeof orders.$inferSelect)['paymentStatus'];
  sessionId: string | null;
  sessionUrl: string | null;
  sessionExpiresAt: string | null;
  paymentIntentId: string | null;
}

const columns = {
  id: orders.id,
  number: orders.number,
  userId: orders.userId,
  status: orders.status,
  paymentMethod: orders.paymentMethod,
  paymentStatus: orders.paymentStatus,
  sessionId: orders.stripeSessionId,
  sessionUrl: orders.stripeSessionUrl,
  sessionExpiresAt: orders.stripeSessionExpiresAt,
  paymentIntentId: orders.stripePaymentIntentId,
};

export async function paymentRecord(db: Db, orderId: number): Promise<PaymentRecord | undefined> {
  const [row] = await db.select(columns).from(orders).where(eq(orders.id, orderId));
  return row;
}

export async function paymentRecordByIntent(db: Db, paymentIntentId: string): Promise<PaymentRecord | undefined> {
  const [row] = await db.select(columns).from(orders).where(eq(orders.stripePaymentIntentId, paymentIntentId));
  return row;
}

export const selectPaymentRecords = (db: Db) => db.select(columns).from(orders);
