/**
 * One product: create and edit (validation messages next to the fields), stock adjustments, images (upload with
 * preview, reorder, delete), archive/restore and delete. Every write goes through the admin API's services and
 * bumps the catalog version, exactly as the JSON routes do.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError, notFound } from '../../errors';
import { ProductBody, ProductPatchBody, productInput } from '../../catalog/catalog-admin.schemas';
import { createProduct, deleteOrArchiveProduct, updateProduct } from '../../catalog/catalog-admin.service';
import { purgeTags } from '../../catalog/cache-store';
import { productChanged } from '../../catalog/cache-tags';
import { listCategories } from '../../catalog/categories-admin.service';
import { findProduct, type ProductRowView } from '../../catalog/products.queries';
import { logError } from '../../http/logging';
import { formatMoney } from '../../lib/money';
import { deleteImageObjects } from '../../media/images.service';
import { consoleSession } from '../guard';
import { money, when } from '../format';
import { afterPost, appErrorFields, formFields, intOrText, optional, pathId, queryOf, zodFieldErrors } from '../form';
import { attrIf, badge, control, field, flash, frame, head, href, html, options, postForm, type FieldErrors } from '../layout';
import { FLASH } from './flash';
import { imagesCard } from './product-images';

type C = Context<AppEnv>;

export const productId = (c: C) => pathId(c, 'Product');

async function loadProduct(c: C, id: number) {
  const row = await findProduct(c.get('db'), id);
  if (!row) throw notFound('Product');
  return row;
}

type Values = Record<string, string>;

const valuesOf = (p: ProductRowView): Values => ({
  name: p.name,
  sku: p.sku,
  description: p.description,
  price: formatMoney(p.priceCents),
  category_id: p.categoryId != null ? String(p.categoryId) : '',
  is_active: p.isActive ? 'on' : '',
});

/** The form's text, shaped as the JSON body the admin API validates. */
const bodyOf = (f: Values, withStock: boolean) => ({
  name: f.name ?? '',
  sku: optional(f.sku),
  description: f.description ?? '',
  price: (f.price ?? '').trim().replace(/^\$/, ''),
  ...(withStock ? { stock: intOrText(f.stock) ?? 0 } : {}),
  category_id: optional(f.category_id) === undefined ? null : intOrText(f.category_id),
  is_active: f.is_active === 'on',
});

async function productForm(c: C, v: Values, errors: FieldErrors | undefined, create: boolean, action: string, csrf: string) {
  const cats = await listCategories(c.get('db'), { page: 1, page_size: 100 });
  return postForm(
    action,
    csrf,
    html`${field('name', 'Name', html`<input ${control('name', errors)} required maxlength="200" value="${v.name ?? ''}">`, errors)}
<div class="row">
${field('price', 'Price (USD)', html`<input ${control('price', errors)} required inputmode="decimal" value="${v.price ?? ''}">`, errors, 'e.g. 19.99')}
${create && field('stock', 'Units in stock', html`<input ${control('stock', errors)} inputmode="numeric" value="${v.stock ?? '0'}">`, errors, 'Later changes are made as adjustments.')}
${field('sku', 'SKU', html`<input ${control('sku', errors)} maxlength="64" value="${v.sku ?? ''}">`, errors, create ? 'Leave empty to generate one.' : undefined)}
</div>
${field('category_id', 'Category', html`<select ${control('category_id', errors)}>${options([['', 'No category'], ...cats.rows.map((cat) => [String(cat.id), cat.name] as const)], v.category_id)}</select>`, errors)}
${field('description', 'Description', html`<textarea ${control('description', errors)} maxlength="5000">${v.description ?? ''}</textarea>`, errors)}
<div class="field inline"><input type="checkbox" id="f-is_active" name="is_active"${attrIf(v.is_active === 'on', 'checked')}><label for="f-is_active">Visible in the shop</label></div>
<button type="submit" data-busy="Saving…">${create ? 'Create product' : 'Save changes'}</button>`,
  );
}

export async function newProductPage(c: C, values: Values = { is_active: 'on', stock: '0' }, errors?: FieldErrors) {
  const s = consoleSession(c);
  const body = html`${head('New product', undefined, ['/products', 'Products'])}
${flash(errors ? 'Some fields need attention.' : undefined, 'bad')}
<div class="card">${await productForm(c, values, errors, true, href('/products/new'), s.csrf)}</div>`;
  return c.html(frame({ title: 'New product', section: 'products', user: s }, body), errors ? 400 : 200);
}

export async function createProductSubmit(c: C) {
  const f = await formFields(c);
  const parsed = ProductBody.safeParse(bodyOf(f, true));
  if (!parsed.success) return newProductPage(c, f, zodFieldErrors(parsed.error));
  try {
    const b = parsed.data;
    const row = await createProduct(c.get('db'), { ...productInput(b), name: b.name, priceCents: b.price, stock: b.stock });
    await purgeTags(productChanged(row.id, [row.categoryId]));
    return afterPost(c, `/products/${row.id}`, 'created');
  } catch (e) {
    const errors = appErrorFields(e);
    if (errors) return newProductPage(c, f, errors);
    throw e;
  }
}

export async function editProductPage(c: C, opts: { values?: Values; errors?: FieldErrors; stockError?: string; imageError?: string } = {}) {
  const s = consoleSession(c);
  const p = await loadProduct(c, productId(c));
  const notice = FLASH[queryOf(c).flash ?? ''];
  const failed = opts.errors || opts.stockError || opts.imageError;
  const body = html`${head(p.name, html`${p.sku} · ${money(p.priceCents, p.currency)} · ${p.isActive ? badge('Active', 'ok') : badge('Archived')} · updated ${when(p.updatedAt)}`, ['/products', 'Products'])}
${flash(failed ? 'Some fields need attention.' : notice, failed ? 'bad' : 'ok')}
<div class="grid two">
<div class="card"><h2>Details</h2>${await productForm(c, opts.values ?? valuesOf(p), opts.errors, false, href(`/products/${p.id}`), s.csrf)}</div>
<div><div class="card"><h2>Stock</h2><p><span class="stock-now">${p.stock}</span> <span class="muted">units now</span></p>
${postForm(
  href(`/products/${p.id}/stock`),
  s.csrf,
  html`${field('delta', 'Adjust by', html`<input ${control('delta', { delta: opts.stockError })} inputmode="numeric" placeholder="+5 or -3" required>`, { delta: opts.stockError }, '+5 for a delivery, -3 for breakage. Sales made meanwhile are kept.')}
<button type="submit" data-busy="Updating…">Apply adjustment</button>`,
)}</div>
<div class="card"><h2>Visibility</h2><div class="actions">
${postForm(href(`/products/${p.id}/archive`), s.csrf, html`<input type="hidden" name="active" value="${p.isActive ? 'false' : 'true'}"><button type="submit" class="secondary">${p.isActive ? 'Archive (hide from shop)' : 'Restore to shop'}</button>`)}
${postForm(href(`/products/${p.id}/delete`), s.csrf, html`<button type="submit" class="danger">Delete</button>`, { confirm: `Delete “${p.name}”? Products that were ordered are archived instead.` })}
</div></div></div></div>
${imagesCard(p, new URL(c.req.url).origin, s.csrf, opts.imageError)}`;
  return c.html(frame({ title: p.name, section: 'products', user: s }, body), failed ? 400 : 200);
}

export async function saveProduct(c: C) {
  const id = productId(c);
  const f = await formFields(c);
  const parsed = ProductPatchBody.safeParse(bodyOf(f, false));
  if (!parsed.success) return editProductPage(c, { values: f, errors: zodFieldErrors(parsed.error) });
  try {
    const row = await updateProduct(c.get('db'), id, productInput(parsed.data), 'patch');
    await purgeTags(productChanged(id, [row.previousCategoryId, row.categoryId]));
  } catch (e) {
    const errors = appErrorFields(e);
    if (errors) return editProductPage(c, { values: f, errors });
    throw e;
  }
  return afterPost(c, `/products/${id}`, 'saved');
}

/** "+5", "5", "-3", "−3" (a typographic minus too): a whole number, or the refusal to show next to the field. */
export function parseDelta(text: string | undefined): number | string {
  const t = (text ?? '').trim().replace(/^[\u2212\u2013]/, '-');
  if (!/^[+-]?\d{1,7}$/.test(t)) return 'Enter a whole number such as +5 or -3.';
  const n = Number(t);
  return n === 0 ? 'Enter a change other than 0.' : n;
}

export async function stockSubmit(c: C) {
  const id = productId(c);
  const delta = parseDelta((await formFields(c)).delta);
  if (typeof delta === 'string') return editProductPage(c, { stockError: delta });
  try {
    // The admin API's stock_adjustment: stock = stock + delta in the database, the CHECK refusing below zero.
    const row = await updateProduct(c.get('db'), id, { stockAdjustment: delta }, 'patch');
    // in_stock can flip: the lists filtered by it change, as after any admin stock write.
    await purgeTags(productChanged(id, [row.categoryId]));
  } catch (e) {
    if (e instanceof AppError && e.code === 'insufficient_stock') {
      const available = e.errors?.[0]?.available;
      return editProductPage(c, { stockError: `Cannot apply: cannot remove ${-delta}: only ${available} in stock right now.` });
    }
    throw e;
  }
  return afterPost(c, `/products/${id}`, 'stock');
}

export async function archiveSubmit(c: C) {
  const id = productId(c);
  const active = (await formFields(c)).active === 'true';
  const row = await updateProduct(c.get('db'), id, { isActive: active }, 'patch');
  await purgeTags(productChanged(id, [row.categoryId]));
  return afterPost(c, `/products/${id}`, active ? 'restored' : 'archived');
}

export async function deleteSubmit(c: C) {
  const outcome = await deleteOrArchiveProduct(c.get('db'), productId(c));
  await purgeTags(productChanged(productId(c), ['archived' in outcome ? outcome.archived.categoryId : outcome.categoryId]));
  if ('archived' in outcome) return afterPost(c, `/products/${outcome.archived.id}`, 'archived');
  await deleteImageObjects(c.env.IMAGES, outcome.deletedImageKeys, (err) => logError(c, 'r2_delete_failed', err));
  return afterPost(c, '/products', 'deleted');
}
