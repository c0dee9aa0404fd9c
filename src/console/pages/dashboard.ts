/**
 * The dashboard: the numbers of GET /admin/stats/ (same service, same counting rules), a 30-day revenue chart
 * drawn as inline SVG on the server (no chart library, no script), low stock and top products.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { adminStats } from '../../admin/stats.service';
import { parseMoney } from '../../lib/money';
import { consoleSession } from '../guard';
import { day, money, STATUS_LABELS } from '../format';
import { badge, empty, head, href, frame, html, type Part } from '../layout';

const LOW_STOCK = 5;
const cents = (s: string) => parseMoney(s) ?? 0;

type Stats = Awaited<ReturnType<typeof adminStats>>;

/** Bars of revenue per day, with the highest day and the first/last dates as labels; a text summary for screen readers. */
function revenueChart(days: Stats['revenue_by_day']) {
  const W = 600;
  const H = 180;
  const top = 16;
  const bottom = 22;
  const values = days.map((d) => cents(d.revenue));
  const max = Math.max(...values, 1);
  const slot = W / days.length;
  const best = values.indexOf(Math.max(...values));
  const total = values.reduce((a, b) => a + b, 0);
  // SVG is foreign content to the HTML parser: every element is closed explicitly (a bare <line> would swallow the bars).
  return html`<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Revenue per day over the last ${days.length} days: ${money(total)} in total.">
<line class="axis" x1="0" y1="${H - bottom}" x2="${W}" y2="${H - bottom}"></line>
${days.map((d, i) => {
  const h = Math.round(((H - top - bottom) * values[i]) / max);
  return html`<rect class="bar" x="${(i * slot + 2).toFixed(1)}" y="${H - bottom - h}" width="${(slot - 4).toFixed(1)}" height="${h}" rx="2"><title>${day(`${d.date}T00:00:00Z`)}: ${money(values[i])} from ${d.orders} ${d.orders === 1 ? 'order' : 'orders'}</title></rect>`;
})}
${values[best] > 0 && html`<text x="${Math.min(W - 60, Math.max(0, best * slot))}" y="${top - 4}">${money(values[best])}</text>`}
<text x="0" y="${H - 6}">${day(`${days[0].date}T00:00:00Z`)}</text>
<text x="${W}" y="${H - 6}" text-anchor="end">${day(`${days[days.length - 1].date}T00:00:00Z`)}</text>
</svg></figure>`;
}

const stat = (label: string, value: Part) => html`<div class="card stat"><div class="l">${label}</div><div class="n">${value}</div></div>`;

export async function dashboardPage(c: Context<AppEnv>) {
  const s = consoleSession(c);
  const stats = await adminStats(c.get('db').$client, LOW_STOCK);
  const open = stats.orders_by_status.pending + stats.orders_by_status.confirmed;
  const top = stats.top_products.length
    ? html`<table class="responsive"><thead><tr><th>Product</th><th class="num">Units</th><th class="num">Revenue</th></tr></thead><tbody>
${stats.top_products.map(
  (p) => html`<tr><td data-label="Product"><a href="${href(`/products/${p.product_id}`)}">${p.name}</a></td>
<td data-label="Units" class="num">${p.units}</td><td data-label="Revenue" class="num">${money(cents(p.revenue))}</td></tr>`,
)}
</tbody></table>`
    : empty('No sales in the last 30 days.', 'Best sellers show up here once orders come in.');
  const low = stats.low_stock.length
    ? html`<table><tbody>
${stats.low_stock.map(
  (p) => html`<tr><td><a href="${href(`/products/${p.id}`)}">${p.name}</a></td>
<td class="num">${p.stock === 0 ? badge('Out', 'bad') : badge(String(p.stock), 'warn')}</td></tr>`,
)}
</tbody></table>`
    : html`<p class="muted">Every active product has more than ${LOW_STOCK} units.</p>`;
  const body = html`${head('Dashboard', 'Revenue counts orders that are not cancelled (card orders once paid), by UTC day.')}
<div class="grid stats">
${stat('Revenue today', money(cents(stats.revenue.today)))}
${stat('Last 7 days', money(cents(stats.revenue.last_7_days)))}
${stat('Last 30 days', money(cents(stats.revenue.last_30_days)))}
${stat('Orders to handle', html`<a href="${href('/orders?status=pending')}">${open}</a>`)}
</div>
<div class="card"><h2>Revenue, last 30 days</h2>${revenueChart(stats.revenue_by_day)}</div>
<div class="grid two">
<div class="card"><h2>Top products (30 days)</h2>${top}</div>
<div><div class="card"><h2>Low stock (≤ ${LOW_STOCK})</h2>${low}</div>
<div class="card"><h2>Orders by status</h2><dl class="kv">
${Object.entries(stats.orders_by_status).map(([status, n]) => html`<dt><a href="${href(`/orders?status=${status}`)}">${STATUS_LABELS[status] ?? status}</a></dt><dd>${n}</dd>`)}
<dt>Customers</dt><dd>${stats.customers.total} (${stats.customers.new_last_30_days} new in 30 days)</dd>
</dl></div></div></div>`;
  return c.html(frame({ title: 'Dashboard', section: 'dashboard', user: s }, body));
}
