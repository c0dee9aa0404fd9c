/**
 * Orders: a filtered list, and one order with its items, address and history. Only the moves the status machine
 * allows from the current status are offered as buttons; the change itself goes through the same service and
 * event door as PATCH /admin/orders/{id}/ (so a refused move is the same 409, shown as a message).
 */
import type { Context } from 'hono';
import { ORDER_STATUSES } from '../../db/schema';
import type { AppEnv } from '../../env';
import { AppError, notFound } from '../../errors';
import { publishOrderStatusEvents, publishRefundIssued, statusEventOf } from '../../orders/order-events';
import { paymentHooks } from '../../payments/refund';
import { nextStatuses, type OrderStatus } from '../../orders/order-status';
import { addressView } from '../../orders/orders.schemas';
import { changeStatus, deleteOrder, getOrder, listOrders } from '../../orders/orders.service';
import { consoleSession } from '../guard';
import { money, STATUS_LABELS, when } from '../format';
import { formFields, queryOf } from '../form';
import { Badge, Empty, Flash, href, Page, Pager, PostForm } from '../layout';
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

export async function ordersPage(c: C) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const status = isStatus(q.status) ? q.status : undefined;
  const search = q.search?.trim().slice(0, 200) || undefined;
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const { count, records } = await listOrders(c.get('db'), { status, search }, { page, page_size: PAGE_SIZE });
  const filtered = Boolean(status || search);
  return c.html(
    <Page title="Orders" section="orders" user={s}>
      <div class="head">
        <div>
          <h1>Orders</h1>
          <p class="sub">Newest first. Open an order to confirm, ship or cancel it.</p>
        </div>
      </div>
      <Flash message={FLASH[q.flash ?? '']} />
      <form class="filters card" method="get" action={href('/orders')} role="search">
        <div>
          <label for="q-search">Order number or email</label>
          <input id="q-search" type="search" name="search" value={search ?? ''} />
        </div>
        <div>
          <label for="q-status">Status</label>
          <select id="q-status" name="status">
            <option value="">Any status</option>
            {ORDER_STATUSES.map((st) => (
              <option value={st} selected={st === status}>
                {STATUS_LABELS[st]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Apply
        </button>
        {filtered && (
          <a class="btn secondary" href={href('/orders')}>
            Clear
          </a>
        )}
      </form>
      <div class="card">
        {records.length === 0 ? (
          filtered ? (
            <Empty title="No order matches these filters.">
              <p>
                <a href={href('/orders')}>Show all orders</a>
              </p>
            </Empty>
          ) : (
            <Empty title="No orders yet.">
              <p>Orders appear here as soon as a customer checks out.</p>
            </Empty>
          )
        ) : (
          <>
            <table class="responsive">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Customer</th>
                  <th>Placed</th>
                  <th>Status</th>
                  <th>Payment</th>
                  <th class="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {records.map((o) => (
                  <tr>
                    <td data-label="Order">
                      <a href={href(`/orders/${o.id}`)}>{o.number}</a>
                    </td>
                    <td data-label="Customer">{o.userEmail ?? '—'}</td>
                    <td data-label="Placed">{when(o.createdAt)}</td>
                    <td data-label="Status">
                      <Badge kind={o.status}>{STATUS_LABELS[o.status]}</Badge>
                    </td>
                    <td data-label="Payment">
                      {o.paymentMethod === 'card' ? 'Card' : 'Cash on delivery'} · {o.paymentStatus}
                    </td>
                    <td data-label="Total" class="num">
                      {money(o.totalCents, o.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager path="/orders" query={{ status, search }} page={page} pageSize={PAGE_SIZE} count={count} />
          </>
        )}
      </div>
    </Page>,
  );
}

const orderId = (c: C) => {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound('Order');
  return id;
};

export async function orderPage(c: C, error?: string) {
  const s = consoleSession(c);
  const o = await getOrder(c.get('db'), orderId(c));
  const a = addressView(o.shippingAddress);
  const moves = nextStatuses(o.status);
  const refundNote = o.paymentMethod === 'card' && o.paymentStatus === 'paid' ? ` The card payment of ${money(o.totalCents, o.currency)} is refunded to the customer.` : '';
  return c.html(
    <Page title={`Order ${o.number}`} section="orders" user={s}>
      <div class="head">
        <div>
          <p class="sub">
            <a href={href('/orders')}>← Orders</a>
          </p>
          <h1>
            Order {o.number} <Badge kind={o.status}>{STATUS_LABELS[o.status]}</Badge>
          </h1>
          <p class="sub">
            Placed {when(o.createdAt)} by {o.userEmail ?? 'a deleted account'}
          </p>
        </div>
        <div class="actions">
          {moves.map((to) => (
            <PostForm
              action={href(`/orders/${o.id}/status`)}
              csrf={s.csrf}
              confirm={to === 'cancelled' ? `Cancel order ${o.number}? The stock goes back to the shelves.${refundNote}` : undefined}
            >
              <input type="hidden" name="status" value={to} />
              <input type="hidden" name="from" value={o.status} />
              <button type="submit" class={to === 'cancelled' ? 'danger' : undefined}>
                {ACTION_LABELS[to]}
              </button>
            </PostForm>
          ))}
          {o.status === 'cancelled' && (
            <PostForm action={href(`/orders/${o.id}/delete`)} csrf={s.csrf} confirm={`Delete order ${o.number} for good?`}>
              <button type="submit" class="danger">
                Delete order
              </button>
            </PostForm>
          )}
        </div>
      </div>
      <Flash message={error ?? FLASH[queryOf(c).flash ?? '']} kind={error ? 'bad' : 'ok'} />
      <div class="grid two">
        <div class="card">
          <h2>Items</h2>
          <table class="responsive">
            <thead>
              <tr>
                <th>Product</th>
                <th class="num">Unit price</th>
                <th class="num">Qty</th>
                <th class="num">Subtotal</th>
              </tr>
            </thead>
            <tbody>
              {o.items.map((i) => (
                <tr>
                  <td data-label="Product">
                    <div>
                      <a href={href(`/products/${i.productId}`)}>{i.productName}</a>
                      <div class="muted">{i.sku}</div>
                    </div>
                  </td>
                  <td data-label="Unit price" class="num">
                    {money(i.unitPriceCents, o.currency)}
                  </td>
                  <td data-label="Qty" class="num">
                    {i.quantity}
                  </td>
                  <td data-label="Subtotal" class="num">
                    {money(i.subtotalCents, o.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl class="kv mt">
            <dt>Subtotal</dt>
            <dd>{money(o.subtotalCents, o.currency)}</dd>
            <dt>Shipping</dt>
            <dd>{money(o.shippingCents, o.currency)}</dd>
            <dt>
              <strong>Total</strong>
            </dt>
            <dd>
              <strong>{money(o.totalCents, o.currency)}</strong>
            </dd>
            <dt>Payment</dt>
            <dd>
              {o.paymentMethod === 'card' ? 'Card' : 'Cash on delivery'} · {o.paymentStatus}
            </dd>
          </dl>
          {o.note && (
            <>
              <h2 class="mt">Customer note</h2>
              <p>{o.note}</p>
            </>
          )}
        </div>
        <div>
          <div class="card">
            <h2>Ship to</h2>
            <address>
              {a.full_name}
              <br />
              {a.line1}
              <br />
              {a.line2 && (
                <>
                  {a.line2}
                  <br />
                </>
              )}
              {a.postal_code} {a.city}
              <br />
              {a.country}
              {a.phone && (
                <>
                  <br />
                  {a.phone}
                </>
              )}
            </address>
          </div>
          <div class="card">
            <h2>History</h2>
            <ol class="history">
              {o.history.map((h) => (
                <li>
                  <Badge kind={h.status}>{STATUS_LABELS[h.status]}</Badge> <span class="muted">{when(h.at)}</span>
                  <div class="muted">{h.actor === 'admin' ? 'by staff' : h.actor === 'customer' ? 'by the customer' : 'automatically'}</div>
                </li>
              ))}
            </ol>
          </div>
        </div>
      </div>
    </Page>,
    error ? 409 : 200,
  );
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
  return c.redirect(href(`/orders/${id}?flash=status`), 303);
}

export async function deleteOrderSubmit(c: C) {
  try {
    await deleteOrder(c.get('db'), orderId(c));
  } catch (e) {
    if (e instanceof AppError && e.code === 'invalid_status_transition') return orderPage(c, e.message);
    throw e;
  }
  return c.redirect(href('/orders?flash=order_deleted'), 303);
}
