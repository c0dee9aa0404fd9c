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
import { appErrorFields, formFields, intOrText, optional, queryOf, zodFieldErrors } from '../form';
import { Badge, control, Field, Flash, href, Page, PostForm, type FieldErrors } from '../layout';
import { FLASH } from './flash';
import { ImagesCard } from './product-images';

type C = Context<AppEnv>;

export const productId = (c: C) => {
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound('Product');
  return id;
};

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

async function ProductForm(props: { c: C; values: Values; errors?: FieldErrors; create: boolean; action: string; csrf: string }) {
  const { values: v, errors } = props;
  const cats = await listCategories(props.c.get('db'), { page: 1, page_size: 100 });
  return (
    <PostForm action={props.action} csrf={props.csrf}>
      <Field name="name" label="Name" errors={errors}>
        <input {...control('name', errors)} required maxlength={200} value={v.name ?? ''} />
      </Field>
      <div class="row">
        <Field name="price" label="Price (USD)" errors={errors} hint="e.g. 19.99">
          <input {...control('price', errors)} required inputmode="decimal" value={v.price ?? ''} />
        </Field>
        {props.create && (
          <Field name="stock" label="Units in stock" errors={errors} hint="Later changes are made as adjustments.">
            <input {...control('stock', errors)} inputmode="numeric" value={v.stock ?? '0'} />
          </Field>
        )}
        <Field name="sku" label="SKU" errors={errors} hint={props.create ? 'Leave empty to generate one.' : undefined}>
          <input {...control('sku', errors)} maxlength={64} value={v.sku ?? ''} />
        </Field>
      </div>
      <Field name="category_id" label="Category" errors={errors}>
        <select {...control('category_id', errors)}>
          <option value="">No category</option>
          {cats.rows.map((cat) => (
            <option value={String(cat.id)} selected={v.category_id === String(cat.id)}>
              {cat.name}
            </option>
          ))}
        </select>
      </Field>
      <Field name="description" label="Description" errors={errors}>
        <textarea {...control('description', errors)} maxlength={5000}>
          {v.description ?? ''}
        </textarea>
      </Field>
      <div class="field inline">
        <input type="checkbox" id="f-is_active" name="is_active" checked={v.is_active === 'on'} />
        <label for="f-is_active">Visible in the shop</label>
      </div>
      <button type="submit" data-busy="Saving…">
        {props.create ? 'Create product' : 'Save changes'}
      </button>
    </PostForm>
  );
}

export function newProductPage(c: C, values: Values = { is_active: 'on', stock: '0' }, errors?: FieldErrors) {
  const s = consoleSession(c);
  return c.html(
    <Page title="New product" section="products" user={s}>
      <div class="head">
        <div>
          <p class="sub">
            <a href={href('/products')}>← Products</a>
          </p>
          <h1>New product</h1>
        </div>
      </div>
      <Flash message={errors ? 'Some fields need attention.' : undefined} kind="bad" />
      <div class="card">
        <ProductForm c={c} values={values} errors={errors} create action={href('/products/new')} csrf={s.csrf} />
      </div>
    </Page>,
    errors ? 400 : 200,
  );
}

export async function createProductSubmit(c: C) {
  const f = await formFields(c);
  const parsed = ProductBody.safeParse(bodyOf(f, true));
  if (!parsed.success) return newProductPage(c, f, zodFieldErrors(parsed.error));
  try {
    const b = parsed.data;
    const row = await createProduct(c.get('db'), { ...productInput(b), name: b.name, priceCents: b.price, stock: b.stock });
    await purgeTags(productChanged(row.id, [row.categoryId]));
    return c.redirect(href(`/products/${row.id}?flash=created`), 303);
  } catch (e) {
    const errors = appErrorFields(e);
    if (errors) return newProductPage(c, f, errors);
    throw e;
  }
}

export async function editProductPage(c: C, opts: { values?: Values; errors?: FieldErrors; stockError?: string; imageError?: string } = {}) {
  const s = consoleSession(c);
  const p = await loadProduct(c, productId(c));
  const flash = FLASH[queryOf(c).flash ?? ''];
  const failed = opts.errors || opts.stockError || opts.imageError;
  return c.html(
    <Page title={p.name} section="products" user={s} scripts={[]}>
      <div class="head">
        <div>
          <p class="sub">
            <a href={href('/products')}>← Products</a>
          </p>
          <h1>{p.name}</h1>
          <p class="sub">
            {p.sku} · {money(p.priceCents, p.currency)} · {p.isActive ? <Badge kind="ok">Active</Badge> : <Badge>Archived</Badge>} · updated {when(p.updatedAt)}
          </p>
        </div>
      </div>
      <Flash message={failed ? 'Some fields need attention.' : flash} kind={failed ? 'bad' : 'ok'} />
      <div class="grid two">
        <div class="card">
          <h2>Details</h2>
          <ProductForm c={c} values={opts.values ?? valuesOf(p)} errors={opts.errors} create={false} action={href(`/products/${p.id}`)} csrf={s.csrf} />
        </div>
        <div>
          <div class="card">
            <h2>Stock</h2>
            <p>
              <span class="stock-now">{p.stock}</span> <span class="muted">units now</span>
            </p>
            <PostForm action={href(`/products/${p.id}/stock`)} csrf={s.csrf}>
              <Field name="delta" label="Adjust by" errors={{ delta: opts.stockError }} hint="+5 for a delivery, -3 for breakage. Sales made meanwhile are kept.">
                <input {...control('delta', { delta: opts.stockError })} inputmode="numeric" placeholder="+5 or -3" required />
              </Field>
              <button type="submit" data-busy="Updating…">
                Apply adjustment
              </button>
            </PostForm>
          </div>
          <div class="card">
            <h2>Visibility</h2>
            <div class="actions">
              <PostForm action={href(`/products/${p.id}/archive`)} csrf={s.csrf}>
                <input type="hidden" name="active" value={p.isActive ? 'false' : 'true'} />
                <button type="submit" class="secondary">
                  {p.isActive ? 'Archive (hide from shop)' : 'Restore to shop'}
                </button>
              </PostForm>
              <PostForm
                action={href(`/products/${p.id}/delete`)}
                csrf={s.csrf}
                confirm={`Delete “${p.name}”? Products that were ordered are archived instead.`}
              >
                <button type="submit" class="danger">
                  Delete
                </button>
              </PostForm>
            </div>
          </div>
        </div>
      </div>
      <ImagesCard product={p} origin={new URL(c.req.url).origin} csrf={s.csrf} error={opts.imageError} />
    </Page>,
    failed ? 400 : 200,
  );
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
  return c.redirect(href(`/products/${id}?flash=saved`), 303);
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
  return c.redirect(href(`/products/${id}?flash=stock`), 303);
}

export async function archiveSubmit(c: C) {
  const id = productId(c);
  const active = (await formFields(c)).active === 'true';
  const row = await updateProduct(c.get('db'), id, { isActive: active }, 'patch');
  await purgeTags(productChanged(id, [row.categoryId]));
  return c.redirect(href(`/products/${id}?flash=${active ? 'restored' : 'archived'}`), 303);
}

export async function deleteSubmit(c: C) {
  const outcome = await deleteOrArchiveProduct(c.get('db'), productId(c));
  await purgeTags(productChanged(productId(c), ['archived' in outcome ? outcome.archived.categoryId : outcome.categoryId]));
  if ('archived' in outcome) return c.redirect(href(`/products/${outcome.archived.id}?flash=archived`), 303);
  await deleteImageObjects(c.env.IMAGES, outcome.deletedImageKeys, (err) => logError(c, 'r2_delete_failed', err));
  return c.redirect(href('/products?flash=deleted'), 303);
}
