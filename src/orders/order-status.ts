/**
 * The order status machine of API.md: pending → confirmed → shipped → delivered, and pending | confirmed →
 * cancelled. Nothing else: no going back, nothing leaves delivered or cancelled. Pure, so every route (customer
 * cancel, admin PATCH, payments) asks the same table.
 */
import { ORDER_STATUSES } from '../db/schema';

export type OrderStatus = (typeof ORDER_STATUSES)[number];

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** The statuses an order may move to from `from`. */
export const nextStatuses = (from: OrderStatus): readonly OrderStatus[] => NEXT[from];

/** The statuses from which an order may move to `to` (for cancellation: pending, confirmed). */
export const statusesBefore = (to: OrderStatus): OrderStatus[] => (Object.keys(NEXT) as OrderStatus[]).filter((from) => NEXT[from].includes(to));

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => NEXT[from].includes(to);

/** Only cancellation gives stock back: shipped goods are gone, and other moves never touch stock. */
export const restoresStock = (to: OrderStatus): boolean => to === 'cancelled';

/** Why a move is refused, for the 409 detail. */
export function transitionRefusal(from: OrderStatus, to: OrderStatus): string {
  const allowed = NEXT[from];
  return allowed.length
    ? `An order that is ${from} cannot become ${to}; it can only become ${allowed.join(' or ')}.`
    : `An order that is ${from} cannot change status any more.`;
}
