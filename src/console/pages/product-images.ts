/** A product's images: upload (with a preview of the chosen file), reorder and delete. */
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError } from '../../errors';
import { purgeTags } from '../../catalog/cache-store';
import { productContentChanged } from '../../catalog/cache-tags';
import type { ProductRowView } from '../../catalog/products.queries';
import { logError } from '../../http/logging';
import { ImageUploadForm } from '../../media/images.schemas';
import { addProductImage, deleteImageObjects, deleteImageRow, moveImage, requireProduct } from '../../media/images.service';
import { mediaUrl } from '../../media/media-url';
import { afterPost } from '../form';
import { attrIf, empty, href, html, postForm } from '../layout';
import { editProductPage, productId } from './product';

type C = Context<AppEnv>;

export function imagesCard(product: ProductRowView, origin: string, csrf: string, error?: string) {
  const images = JSON.parse(product.images ?? '[]') as { id: number; key: string; alt: string }[];
  const base = `/products/${product.id}/images`;
  const move = (id: number, step: string, disabled: boolean, label: string, arrow: string) =>
    postForm(href(`${base}/${id}/move`), csrf, html`<input type="hidden" name="step" value="${step}"><button type="submit" class="secondary small"${attrIf(disabled, 'disabled')} aria-label="${label}">${arrow}</button>`);
  return html`<div class="card"><h2>Images</h2>${
    images.length === 0
      ? empty('No images yet.', 'Upload a photo below: the first image is the one shoppers see in lists.')
      : html`<div class="images">${images.map(
          (img, i) => html`<figure><img src="${mediaUrl(origin, img.key)}" alt="${img.alt || `Image ${i + 1} of ${product.name}`}"><figcaption>
${move(img.id, '-1', i === 0, `Move image ${i + 1} earlier`, '←')}
${move(img.id, '1', i === images.length - 1, `Move image ${i + 1} later`, '→')}
${postForm(href(`${base}/${img.id}/delete`), csrf, html`<button type="submit" class="danger small" aria-label="Delete image ${i + 1}">Delete</button>`, { confirm: 'Delete this image?' })}
</figcaption></figure>`,
        )}</div>`
  }
${postForm(
  href(base),
  csrf,
  html`<div class="${error ? 'field invalid' : 'field'}"><label for="f-file">Add an image</label>
<input id="f-file" type="file" name="file" accept="image/jpeg,image/png,image/gif,image/webp" required data-preview="upload-preview"${attrIf(Boolean(error), 'aria-describedby="e-file"')}>
<div class="hint">JPEG, PNG, GIF or WebP, up to 5 MiB.</div>
${error && html`<div class="err" id="e-file" role="alert">${error}</div>`}
<img id="upload-preview" class="preview" alt="Preview of the chosen image" hidden></div>
<div class="field"><label for="f-alt">Description for screen readers (optional)</label><input id="f-alt" name="alt" maxlength="300"></div>
<button type="submit" data-busy="Uploading…">Upload image</button>`,
  { multipart: true, class: 'mt' },
)}</div>`;
}

export async function uploadImage(c: C) {
  const id = productId(c);
  const db = c.get('db');
  await requireProduct(db, id);
  const body = await c.req.parseBody();
  const parsed = ImageUploadForm.safeParse({ file: body.file, alt: typeof body.alt === 'string' ? body.alt : undefined });
  if (!parsed.success) return editProductPage(c, { imageError: 'Choose an image file to upload.' });
  try {
    await addProductImage({ db, bucket: c.env.IMAGES }, id, parsed.data as ImageUploadForm);
  } catch (e) {
    if (e instanceof AppError && e.code !== 'not_found') return editProductPage(c, { imageError: e.message });
    throw e;
  }
  await purgeTags(productContentChanged(id));
  return afterPost(c, `/products/${id}`, 'image_added');
}

export async function moveImageSubmit(c: C) {
  const id = productId(c);
  const step = (await c.req.parseBody()).step === '-1' ? -1 : 1;
  await moveImage(c.get('db'), id, Number(c.req.param('imageId')), step);
  await purgeTags(productContentChanged(id));
  return afterPost(c, `/products/${id}`, 'image_moved');
}

export async function deleteImageSubmit(c: C) {
  const id = productId(c);
  const key = await deleteImageRow(c.get('db'), id, Number(c.req.param('imageId')));
  await purgeTags(productContentChanged(id));
  await deleteImageObjects(c.env.IMAGES, [key], (err) => logError(c, 'r2_delete_failed', err));
  return afterPost(c, `/products/${id}`, 'image_deleted');
}
