/**
 * Renders each queued message into a subject, a plain-text body and an HTML body. HTML goes through Hono's
 * `html` template, which escapes every interpolated value (order notes, names and product names are user text).
 */
import { html } from 'hono/html';
import { formatMoney } from '../lib/money';
import type { OrderRecord } from '../orders/orders.queries';

export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const page = (title: string, body: unknown) =>
  html`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif">${body}</body></html>`.toString();

export function passwordResetEmail(appName: string, to: string, firstName: string, link: string): RenderedEmail {
  const hello = firstName ? `Hello ${firstName},` : 'Hello,';
  const subject = `${appName}: reset your password`;
  const text = [
    hello,
    '',
    'Someone (hopefully you) asked to reset the password of your account. Open this link within one hour to choose a new password:',
    '',
    link,
    '',
    'The link works once. If you did not ask for it, ignore this email: your password stays as it is.',
  ].join('\n');
  const body = html`<p>${hello}</p><p>Someone (hopefully you) asked to reset the password of your account. Open this link within one hour to choose a new password:</p><p><a href="${link}">${link}</a></p><p>The link works once. If you did not ask for it, ignore this email: your password stays as it is.</p>`;
  return { to, subject, text, html: page(subject, body) };
}

const STATUS_LINES: Record<string, string> = {
  placed: 'Thank you for your order. We have received it.',
  confirmed: 'Your order is confirmed and will be prepared for shipping.',
  shipped: 'Your order has shipped.',
  delivered: 'Your order has been delivered. Enjoy!',
  cancelled: 'Your order has been cancelled. Any stock it held has been released.',
  refunded: 'Your payment for this order has been refunded. Depending on your bank it may take a few days to appear.',
};

/** An order email: what happened, then the order's lines and total. */
export function orderEmail(appName: string, order: OrderRecord, what: keyof typeof STATUS_LINES): RenderedEmail {
  const subject = `${appName}: order ${order.number} ${what === 'placed' ? 'received' : what}`;
  const lines = order.items.map((i) => `${i.quantity} × ${i.productName} — ${formatMoney(i.subtotalCents)} ${order.currency.toUpperCase()}`);
  const total = `Total: ${formatMoney(order.totalCents)} ${order.currency.toUpperCase()}`;
  const text = [STATUS_LINES[what], '', `Order ${order.number}`, ...lines, total].join('\n');
  const body = html`<p>${STATUS_LINES[what]}</p><h2>Order ${order.number}</h2><ul>${order.items.map(
    (i) => html`<li>${i.quantity} × ${i.productName} — ${formatMoney(i.subtotalCents)} ${order.currency.toUpperCase()}</li>`,
  )}</ul><p><strong>${total}</strong></p>`;
  return { to: order.userEmail ?? '', subject, text, html: page(subject, body) };
}
