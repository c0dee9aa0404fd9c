/** Categories: list with product counts, create, rename/describe inline, delete (products stay, uncategorised). */
import type { Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../../env';
import { CategoryBody } from '../../catalog/catalog-admin.schemas';
import { purgeTags } from '../../catalog/cache-store';
import { categoryChanged } from '../../catalog/cache-tags';
import { createCategory, deleteCategory, listCategories, updateCategory } from '../../catalog/categories-admin.service';
import { consoleSession } from '../guard';
import { afterPost, appErrorFields, formFields, optional, pageOf, pathId, queryOf, zodFieldErrors } from '../form';
import { attr, attrIf, control, empty, field, flash, frame, head, href, html, pager, postForm, type FieldErrors } from '../layout';
import { FLASH } from './flash';

type C = Context<AppEnv>;
const PAGE_SIZE = 50;
/** The inline rename form: the name rule of the API's category body. */
const RenameBody = z.pick(CategoryBody, { name: true });

export async function categoriesPage(c: C, form?: { values: Record<string, string>; errors: FieldErrors; editId?: number }) {
  const s = consoleSession(c);
  const q = queryOf(c);
  const page = pageOf(q);
  const list = await listCategories(c.get('db'), { page, page_size: PAGE_SIZE });
  const createErrors = form && form.editId === undefined ? form.errors : undefined;
  const createValues = form && form.editId === undefined ? form.values : {};
  const rows = list.rows.map((cat) => {
    const editing = form?.editId === cat.id;
    const errors = editing ? form?.errors : undefined;
    return html`<tr><td data-label="Name">${postForm(
      href(`/categories/${cat.id}`),
      s.csrf,
      html`<label class="skip" for="n-${cat.id}">Name</label><input id="n-${cat.id}" name="name"${attr('value', editing ? form?.values.name : cat.name)} required maxlength="200"${attrIf(Boolean(errors?.name), 'aria-invalid="true"')}>
<button type="submit" class="secondary small">Rename</button>`,
      { class: 'inline-edit', id: `cat-${cat.id}` },
    )}${errors?.name && html`<div class="err" role="alert">${errors.name}</div>`}</td>
<td data-label="Slug" class="muted">${cat.slug}</td>
<td data-label="Products" class="num"><a href="${href(`/products?category=${cat.id}`)}">${cat.productCount}</a></td>
<td data-label="">${postForm(href(`/categories/${cat.id}/delete`), s.csrf, html`<button type="submit" class="danger small">Delete</button>`, {
      confirm: `Delete “${cat.name}”? Its ${cat.productCount} products stay in the catalog without a category.`,
    })}</td></tr>`;
  });
  const e = createErrors;
  const body = html`${head('Categories', 'How shoppers browse the catalog.')}
${flash(form ? 'Some fields need attention.' : FLASH[q.flash ?? ''], form ? 'bad' : 'ok')}
<div class="grid two"><div class="card">${
    rows.length === 0
      ? empty('No categories yet.', 'Create one with the form: products can then be filed under it.')
      : html`<table class="responsive"><thead><tr><th>Name</th><th>Slug</th><th class="num">Products</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
  }${list.count > PAGE_SIZE && pager('/categories', {}, page, PAGE_SIZE, list.count)}</div>
<div class="card"><h2>New category</h2>${postForm(
    href('/categories'),
    s.csrf,
    html`${field('name', 'Name', html`<input ${control('name', e)} required maxlength="200" value="${createValues.name ?? ''}">`, e)}
${field('slug', 'Slug (optional)', html`<input ${control('slug', e)} value="${createValues.slug ?? ''}">`, e, 'Used in shop URLs; derived from the name when empty.')}
${field('description', 'Description (optional)', html`<textarea ${control('description', e)} maxlength="5000">${createValues.description ?? ''}</textarea>`, e)}
<button type="submit">Create category</button>`,
  )}</div></div>`;
  return c.html(frame({ title: 'Categories', section: 'categories', user: s }, body), form ? 400 : 200);
}

const categoryId = (c: C) => pathId(c, 'Category');

export async function createCategorySubmit(c: C) {
  const f = await formFields(c);
  const parsed = CategoryBody.safeParse({ name: f.name ?? '', slug: optional(f.slug), description: f.description ?? '' });
  if (!parsed.success) return categoriesPage(c, { values: f, errors: zodFieldErrors(parsed.error) });
  try {
    const row = await createCategory(c.get('db'), parsed.data);
    await purgeTags(categoryChanged(row.id));
  } catch (e) {
    const errors = appErrorFields(e);
    if (errors) return categoriesPage(c, { values: f, errors });
    throw e;
  }
  return afterPost(c, '/categories', 'category_created');
}

export async function renameCategorySubmit(c: C) {
  const id = categoryId(c);
  const f = await formFields(c);
  const parsed = RenameBody.safeParse({ name: f.name ?? '' });
  if (!parsed.success) return categoriesPage(c, { values: f, errors: zodFieldErrors(parsed.error), editId: id });
  try {
    await updateCategory(c.get('db'), id, parsed.data, 'patch');
  } catch (e) {
    const errors = appErrorFields(e);
    if (errors) return categoriesPage(c, { values: f, errors, editId: id });
    throw e;
  }
  await purgeTags(categoryChanged(id));
  return afterPost(c, '/categories', 'category_saved');
}

export async function deleteCategorySubmit(c: C) {
  await deleteCategory(c.get('db'), categoryId(c));
  await purgeTags(categoryChanged(categoryId(c)));
  return afterPost(c, '/categories', 'category_deleted');
}
