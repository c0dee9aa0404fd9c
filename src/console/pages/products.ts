/** Products: search, filters, pagination, over the admin API's own list (inactive products included). */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { listProducts } from '../../catalog/catalog.service';
import { listCategories } from '../../catalog/categories-admin.service';
import { PRODUCT_ORDERINGS, type ProductOrdering } from '../../catalog/catalog.schemas';
import { mediaUrl } from '../../media/media-url';
import { consoleSession } from '../guard';
import { money } from '../format';
import { pageOf, queryOf, searchOf } from '../form';
import { badge, empty, filters, flash, head, href, html, frame, pager } from '../layout';
import { FLASH } from './flash';

const PAGE_SIZE = 20;
const STOCK_OPTIONS = [
  ['', 'Any'],
  ['in', 'In stock'],
  ['out', 'Out of stock'],
] as const;
const ORDER_LABELS: Record<ProductOrdering, string> = {
  '-created_at': 'Newest first',
  created_at: 'Oldest first',
  name: 'Name A–Z',
  '-name': 'Name Z–A',
  price: 'Price, low to high',
  '-price': 'Price, high to low',
  rating: 'Rating, low to high',
  '-rating': 'Rating, high to low',
};

export async function productsPage(c: Context<AppEnv>) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const page = pageOf(q);
  const ordering = (PRODUCT_ORDERINGS as readonly string[]).includes(q.ordering ?? '') ? (q.ordering as ProductOrdering) : '-created_at';
  const search = searchOf(q);
  const category = q.category?.trim() || undefined;
  const stock = q.stock === 'in' || q.stock === 'out' ? q.stock : undefined;
  const db = c.get('db');
  const where = { search, category, in_stock: stock === undefined ? undefined : stock === 'in', ordering };
  // A page past the end (someone's old link) shows the first page instead of an error.
  const list = await listProducts(db, where, { page, page_size: PAGE_SIZE }, { activeOnly: false }).catch(() =>
    listProducts(db, where, { page: 1, page_size: PAGE_SIZE }, { activeOnly: false }),
  );
  const cats = await listCategories(db, { page: 1, page_size: 100 });
  const origin = new URL(c.req.url).origin;
  const filtered = Boolean(search || category || stock);

  const rows = list.rows.map((p) => {
    const first = (JSON.parse(p.images ?? '[]') as { key: string }[])[0];
    return html`<tr><td data-label="">${first ? html`<img class="thumb" src="${mediaUrl(origin, first.key)}" alt="" loading="lazy">` : html`<span class="thumb" aria-hidden="true"></span>`}</td>
<td data-label="Name"><div><a href="${href(`/products/${p.id}`)}">${p.name}</a><div class="muted">${p.sku}</div></div></td>
<td data-label="Category">${p.categoryName ?? html`<span class="muted">—</span>`}</td>
<td data-label="Price" class="num">${money(p.priceCents, p.currency)}</td>
<td data-label="Stock" class="num">${p.stock === 0 ? badge('Out of stock', 'bad') : p.stock <= 5 ? badge(`${p.stock} left`, 'warn') : p.stock}</td>
<td data-label="Status">${p.isActive ? badge('Active', 'ok') : badge('Archived')}</td></tr>`;
  });
  const body = html`${head('Products', 'Everything in the catalog, archived products included.', undefined, html`<a class="btn" href="${href('/products/new')}">+ New product</a>`)}
${flash(FLASH[q.flash ?? ''])}
${filters('/products', { label: 'Search', value: search, placeholder: 'Name or description' }, [
  { name: 'category', label: 'Category', options: [['', 'All categories'], ...cats.rows.map((cat) => [String(cat.id), cat.name] as const)], value: category },
  { name: 'stock', label: 'Stock', options: STOCK_OPTIONS, value: stock },
  { name: 'ordering', label: 'Sort', options: PRODUCT_ORDERINGS.map((o) => [o, ORDER_LABELS[o]] as const), value: ordering },
], filtered)}
<div class="card">${
    rows.length === 0
      ? filtered
        ? empty('No product matches these filters.', html`Try another search, or <a href="${href('/products')}">clear the filters</a>.`)
        : empty('The catalog is empty.', html`<a href="${href('/products/new')}">Add your first product</a>: a name, a price and how many you have.`)
      : html`<table class="responsive"><thead><tr><th></th><th>Name</th><th>Category</th><th class="num">Price</th><th class="num">Stock</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody></table>${pager('/products', { search, category, stock, ordering }, page, PAGE_SIZE, list.count)}`
  }</div>`;
  return c.html(frame({ title: 'Products', section: 'products', user: s }, body));
}
