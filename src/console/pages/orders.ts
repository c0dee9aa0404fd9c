/**
 * Orders: a filtered list, and one order with its items, address and history. Only the moves the status machine
 * allows from the current status are offered as buttons; the change itself goes through the same service and
 * event door as PATCH /admin/orders/{id}/ (so a refused move is the same 409, shown as a message).
 */
import type { Context } from 'hono';
import { ORDER_STATUSES } from '../../db/schema';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { publishOrderStatusEvents, publishRefundIssued, statusEventOf } from '../../orders/order-events';
import { paymentHooks } from '../../payments/refund';
import { nextStatuses, type OrderStatus } from '../../orders/order-status';
import { addressView } from '../../orders/orders.schemas';
import { changeStatus, deleteOrder, getOrder, listOrders } from '../../orders/orders.service';
import { consoleSession } from '../guard';
import { money, STATUS_LABELS, when } from '../format';
import { afterPost, formFields, pageOf, pathId, queryOf, searchOf } from '../form';
import { attrIf, badge, empty, filters, flash, frame, head, href, html, pager, postForm } from '../layout';
import { FLASH } from './flash';

type C = Context<AppEnv>;
const PAGE_SIZE = 25;

const isStatus = (s: string | undefined): s is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(s ?? '');

const ACTION_LABELS: Record<OrderStatus, string> = {
  pending: 'Back to pending',
  confirmed: 'Confirm order',
  shipped: 'Mark as shipped',
  delivered: 'Mark as delivered',
  cancelled: 'Cancel order',
};

const STATUS_OPTIONS = [['', 'Any status'], ...ORDER_STATUSES.map((st) => [st, STATUS_LABELS[st]] as const)] as const;
const statusBadge = (st: string) => badge(STATUS_LABELS[st], st);
const payment = (o: { paymentMethod: string; paymentStatus: string }) => `${o.paymentMethod === 'card' ? 'Card' : 'Cash on delivery'} · ${o.paymentStatus}`;

export async function ordersPage(c: C) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const status = isStatus(q.status) ? q.status : undefined;
  const search = searchOf(q);
  const page = pageOf(q);
  const { count, records } = await listOrders(c.get('db'), { status, search }, { page, page_size: PAGE_SIZE });
  const filtered = Boolean(status || search);
  const body = html`${head('Orders', 'Newest first. Open an order to confirm, ship or cancel it.')}
${flash(FLASH[q.flash ?? ''])}
${filters('/orders', { label: 'Order number or email', value: search }, [{ name: 'status', label: 'Status', options: STATUS_OPTIONS, value: status }], filtered)}
<div class="card">${
    records.length === 0
      ? filtered
        ? empty('No order matches these filters.', html`<a href="${href('/orders')}">Show all orders</a>`)
        : empty('No orders yet.', 'Orders appear here as soon as a customer checks out.')
      : html`<table class="responsive"><thead><tr><th>Order</th><th>Customer</th><th>Placed</th><th>Status</th><th>Payment</th><th class="num">Total</th></tr></thead><tbody>
${records.map(
  (o) => html`<tr><td data-label="Order"><a href="${href(`/orders/${o.id}`)}">${o.number}</a></td>
<td data-label="Customer">${o.userEmail ?? '—'}</td>
<td data-label="Placed">${when(o.createdAt)}</td>
<td data-label="Status">${statusBadge(o.status)}</td>
<td data-label="Payment">${payment(o)}</td>
<td data-label="Total" class="num">${money(o.totalCents, o.currency)}</td></tr>`,
)}
</tbody></table>${pager('/orders', { status, search }, page, PAGE_SIZE, count)}`
  }</div>`;
  return c.html(frame({ title: 'Orders', section: 'orders', user: s }, body));
}

const orderId = (c: C) => pathId(c, 'Order');

export async function orderPage(c: C, error?: string) {
  const s = consoleSession(c);
  const o = await getOrder(c.get('db'), orderId(c));
  const a = addressView(o.shippingAddress);
  const moves = nextStatuses(o.status);
  const refundNote = o.paymentMethod === 'card' && o.paymentStatus === 'paid' ? ` The card payment of ${money(o.totalCents, o.currency)} is refunded to the customer.` : '';
  const actions = html`<div class="actions">
${moves.map((to) =>
  postForm(
    href(`/orders/${o.id}/status`),
    s.csrf,
    html`<input type="hidden" name="status" value="${to}"><input type="hidden" name="from" value="${o.status}"><button type="submit"${attrIf(to === 'cancelled', 'class="danger"')}>${ACTION_LABELS[to]}</button>`,
    { confirm: to === 'cancelled' ? `Cancel order ${o.number}? The stock goes back to the shelves.${refundNote}` : undefined },
  ),
)}
${o.status === 'cancelled' && postForm(href(`/orders/${o.id}/delete`), s.csrf, html`<button type="submit" class="danger">Delete order</button>`, { confirm: `Delete order ${o.number} for good?` })}
</div>`;
  const amount = (cents: number) => money(cents, o.currency);
  const body = html`${head(html`Order ${o.number} ${statusBadge(o.status)}`, html`Placed ${when(o.createdAt)} by ${o.userEmail ?? 'a deleted account'}`, ['/orders', 'Orders'], actions)}
${flash(error ?? FLASH[queryOf(c).flash ?? ''], error ? 'bad' : 'ok')}
<div class="grid two"><div class="card"><h2>Items</h2>
<table class="responsive"><thead><tr><th>Product</th><th class="num">Unit price</th><th class="num">Qty</th><th class="num">Subtotal</th></tr></thead><tbody>
${o.items.map(
  (i) => html`<tr><td data-label="Product"><div><a href="${href(`/products/${i.productId}`)}">${i.productName}</a><div class="muted">${i.sku}</div></div></td>
<td data-label="Unit price" class="num">${amount(i.unitPriceCents)}</td>
<td data-label="Qty" class="num">${i.quantity}</td>
<td data-label="Subtotal" class="num">${amount(i.subtotalCents)}</td></tr>`,
)}
</tbody></table>
<dl class="kv mt"><dt>Subtotal</dt><dd>${amount(o.subtotalCents)}</dd><dt>Shipping</dt><dd>${amount(o.shippingCents)}</dd>
<dt><strong>Total</strong></dt><dd><strong>${amount(o.totalCents)}</strong></dd><dt>Payment</dt><dd>${payment(o)}</dd></dl>
${o.note && html`<h2 class="mt">Customer note</h2><p>${o.note}</p>`}
</div>
<div><div class="card"><h2>Ship to</h2>
<address>${a.full_name}<br>${a.line1}<br>${a.line2 && html`${a.line2}<br>`}${a.postal_code} ${a.city}<br>${a.country}${a.phone && html`<br>${a.phone}`}</address></div>
<div class="card"><h2>History</h2><ol class="history">
${o.history.map(
  (h) => html`<li>${statusBadge(h.status)} <span class="muted">${when(h.at)}</span>
<div class="muted">${h.actor === 'admin' ? 'by staff' : h.actor === 'customer' ? 'by the customer' : 'automatically'}</div></li>`,
)}
</ol></div></div></div>`;
  return c.html(frame({ title: `Order ${o.number}`, section: 'orders', user: s }, body), error ? 409 : 200);
}

export async function orderStatusSubmit(c: C) {
  const id = orderId(c);
  const f = await formFields(c);
  if (!isStatus(f.status)) return orderPage(c, 'Unknown status.');
  const admin = consoleSession(c);
  try {
    const db = c.get('db');
    // As PATCH /admin/orders/{id}/: cancelling a paid card order refunds it first (nothing changes if that fails).
    const order = await changeStatus(db, id, f.status, { userId: admin.userId, role: 'admin' }, undefined, paymentHooks(db, c.get('config')));
    await publishOrderStatusEvents(c.env, [statusEventOf(order)]);
    if (order.status === 'cancelled' && order.paymentStatus === 'refunded') await publishRefundIssued(c.env, [order.id]);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'invalid_status_transition' || e.code === 'payment_error')) return orderPage(c, e.message);
    throw e;
  }
  return afterPost(c, `/orders/${id}`, 'status');
}

export async function deleteOrderSubmit(c: C) {
  try {
    await deleteOrder(c.get('db'), orderId(c));
  } catch (e) {
    if (e instanceof AppError && e.code === 'invalid_status_transition') return orderPage(c, e.message);
    throw e;
  }
  return afterPost(c, '/orders', 'order_deleted');
}
