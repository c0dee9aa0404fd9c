/**
 * Admin product image routes: multipart upload into R2 and delete (mounted under /api/v1/admin by
 * admin.routes.ts, which requires the admin role). app.ts leaves this path out of the 1 MiB JSON limit; the
 * upload route has its own, checked from Content-Length before any byte is read when the client sends one.
 */
import { Hono, type Context } from 'hono';
import { bumpCatalogVersion } from '../catalog/catalog-version';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { limitBody } from '../http/body-limit';
import { logError } from '../http/logging';
import { describe } from '../http/openapi';
import { params, parseOrThrow } from '../http/validate';
import { MAX_IMAGE_BYTES } from './image-files';
import { ImageParams, ImageUploadForm, ImageView, ProductParam } from './images.schemas';
import { addProductImage, deleteImageObjects, deleteImageRow, requireProduct } from './images.service';
import { mediaUrl } from './media-url';

export const adminImagesRoutes = new Hono<AppEnv>({ strict: false });
const BASE = '/api/v1/admin/products/:id{[0-9]+}/images';
const doc = { tag: 'Admin: catalog', auth: 'admin' as const };

// The file may be 5 MiB exactly; the multipart framing around it (boundaries, part headers, alt, position)
// gets 64 KiB on top. The file's own size is checked again after parsing.
export const UPLOAD_REQUEST_LIMIT = MAX_IMAGE_BYTES + 64 * 1024;
const uploadLimit = limitBody({
  maxSize: UPLOAD_REQUEST_LIMIT,
  onError: () => {
    throw new AppError('payload_too_large', 'The upload exceeds 5 MiB.');
  },
});

const notMultipart = (message: string) => new AppError('validation_error', 'The upload failed validation.', { errors: [{ field: 'file', message }] });

/**
 * The form fields of a multipart body; anything that is not parseable multipart is a 400 on `file`. Repeated
 * fields are kept as lists (not silently narrowed to the last one): several files in one upload are a 400, and
 * a repeated alt or position fails its schema.
 */
async function readForm(c: Context<AppEnv>) {
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('Content-Type') ?? '')) {
    throw notMultipart('is required: send the image as a multipart/form-data part named "file"');
  }
  let form: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw notMultipart('the multipart/form-data body could not be parsed');
  }
  if (Array.isArray(form.file)) throw notMultipart('must be exactly one file: upload one image per request');
  return form;
}

describe({
  ...doc, method: 'post', path: `${BASE}/`, summary: 'Upload a product image', params: ProductParam,
  body: ImageUploadForm, bodyType: 'multipart/form-data',
  description:
    'The type is decided by the file’s first bytes (JPEG, PNG, GIF or WebP), never by its name or declared type: anything else is 415. ' +
    'Files over 5 MiB are 413 (checked from Content-Length before the body is read when it is sent). The image is served from ' +
    '`url` with a long-lived immutable Cache-Control.',
  responses: { 201: { description: 'The stored image', schema: ImageView } },
  errors: ['not_found', 'payload_too_large', 'unsupported_media_type'],
});
adminImagesRoutes.post(BASE, uploadLimit, params(ProductParam), async (c) => {
  const productId = c.req.valid('param').id;
  const db = c.get('db');
  await requireProduct(db, productId);
  const form = parseOrThrow(ImageUploadForm, await readForm(c), 'Upload') as ImageUploadForm;
  const image = await addProductImage({ db, bucket: c.env.IMAGES }, productId, form);
  await bumpCatalogVersion(c.env);
  const url = mediaUrl(new URL(c.req.url).origin, image.key);
  return c.json({ id: image.id, url, alt: image.alt, position: image.position }, 201, { Location: url });
});

describe({
  ...doc, method: 'delete', path: `${BASE}/:image_id/`, summary: 'Delete a product image (its stored file too)', params: ImageParams,
  responses: { 204: { description: 'Deleted' } }, errors: ['not_found'],
});
adminImagesRoutes.delete(`${BASE}/:image_id{[0-9]+}`, params(ImageParams), async (c) => {
  const { id, image_id } = c.req.valid('param');
  const key = await deleteImageRow(c.get('db'), id, image_id);
  await bumpCatalogVersion(c.env);
  // The row is gone first: from now on nothing links to the file, so removing it cannot break a page.
  await deleteImageObjects(c.env.IMAGES, [key], (err) => logError(c, 'r2_delete_failed', err));
  return c.body(null, 204);
});
