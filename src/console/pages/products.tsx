/** Products: search, filters, pagination, over the admin API's own list (inactive products included). */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { listProducts } from '../../catalog/catalog.service';
import { listCategories } from '../../catalog/categories-admin.service';
import { PRODUCT_ORDERINGS, type ProductOrdering } from '../../catalog/catalog.schemas';
import { mediaUrl } from '../../media/media-url';
import { consoleSession } from '../guard';
import { money } from '../format';
import { queryOf } from '../form';
import { Badge, Empty, Flash, href, Page, Pager } from '../layout';
import { FLASH } from './flash';

const PAGE_SIZE = 20;
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
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const ordering = (PRODUCT_ORDERINGS as readonly string[]).includes(q.ordering ?? '') ? (q.ordering as ProductOrdering) : '-created_at';
  const search = q.search?.trim().slice(0, 200) || undefined;
  const category = q.category?.trim() || undefined;
  const stock = q.stock === 'in' || q.stock === 'out' ? q.stock : undefined;
  const db = c.get('db');
  const filters = { search, category, in_stock: stock === undefined ? undefined : stock === 'in', ordering };
  // A page past the end (someone's old link) shows the first page instead of an error.
  const list = await listProducts(db, filters, { page, page_size: PAGE_SIZE }, { activeOnly: false }).catch(() =>
    listProducts(db, filters, { page: 1, page_size: PAGE_SIZE }, { activeOnly: false }),
  );
  const cats = await listCategories(db, { page: 1, page_size: 100 });
  const origin = new URL(c.req.url).origin;
  const filtered = Boolean(search || category || stock);

  return c.html(
    <Page title="Products" section="products" user={s}>
      <div class="head">
        <div>
          <h1>Products</h1>
          <p class="sub">Everything in the catalog, archived products included.</p>
        </div>
        <a class="btn" href={href('/products/new')}>
          + New product
        </a>
      </div>
      <Flash message={FLASH[q.flash ?? '']} />
      <form class="filters card" method="get" action={href('/products')} role="search">
        <div>
          <label for="q-search">Search</label>
          <input id="q-search" name="search" type="search" value={search ?? ''} placeholder="Name or description" />
        </div>
        <div>
          <label for="q-category">Category</label>
          <select id="q-category" name="category">
            <option value="">All categories</option>
            {cats.rows.map((cat) => (
              <option value={String(cat.id)} selected={category === String(cat.id)}>
                {cat.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="q-stock">Stock</label>
          <select id="q-stock" name="stock">
            <option value="">Any</option>
            <option value="in" selected={stock === 'in'}>
              In stock
            </option>
            <option value="out" selected={stock === 'out'}>
              Out of stock
            </option>
          </select>
        </div>
        <div>
          <label for="q-ordering">Sort</label>
          <select id="q-ordering" name="ordering">
            {PRODUCT_ORDERINGS.map((o) => (
              <option value={o} selected={o === ordering}>
                {ORDER_LABELS[o]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Apply
        </button>
        {filtered && (
          <a href={href('/products')} class="btn secondary">
            Clear
          </a>
        )}
      </form>
      <div class="card">
        {list.rows.length === 0 ? (
          filtered ? (
            <Empty title="No product matches these filters.">
              <p>
                Try another search, or <a href={href('/products')}>clear the filters</a>.
              </p>
            </Empty>
          ) : (
            <Empty title="The catalog is empty.">
              <p>
                <a href={href('/products/new')}>Add your first product</a>: a name, a price and how many you have.
              </p>
            </Empty>
          )
        ) : (
          <>
            <table class="responsive">
              <thead>
                <tr>
                  <th></th>
                  <th>Name</th>
                  <th>Category</th>
                  <th class="num">Price</th>
                  <th class="num">Stock</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((p) => {
                  const first = (JSON.parse(p.images ?? '[]') as { key: string }[])[0];
                  return (
                    <tr>
                      <td data-label="">
                        {first ? <img class="thumb" src={mediaUrl(origin, first.key)} alt="" loading="lazy" /> : <span class="thumb" aria-hidden="true"></span>}
                      </td>
                      <td data-label="Name">
                        <div>
                          <a href={href(`/products/${p.id}`)}>{p.name}</a>
                          <div class="muted">{p.sku}</div>
                        </div>
                      </td>
                      <td data-label="Category">{p.categoryName ?? <span class="muted">—</span>}</td>
                      <td data-label="Price" class="num">
                        {money(p.priceCents, p.currency)}
                      </td>
                      <td data-label="Stock" class="num">
                        {p.stock === 0 ? <Badge kind="bad">Out of stock</Badge> : p.stock <= 5 ? <Badge kind="warn">{`${p.stock} left`}</Badge> : p.stock}
                      </td>
                      <td data-label="Status">{p.isActive ? <Badge kind="ok">Active</Badge> : <Badge>Archived</Badge>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager path="/products" query={{ search, category, stock, ordering }} page={page} pageSize={PAGE_SIZE} count={list.count} />
          </>
        )}
      </div>
    </Page>,
  );
}
