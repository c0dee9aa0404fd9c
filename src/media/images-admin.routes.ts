/**
 * Admin product image routes: multipart upload into R2 and delete. app.ts leaves the upload path out of the
 * 1 MiB JSON limit; the upload route has its own, checked from Content-Length before any byte is read when the
 * client sends one.
 */
import type { MiddlewareHandler } from 'hono';
import { purgeTags } from '../catalog/cache-store';
import { productContentChanged } from '../catalog/cache-tags';
import type { AppEnv } from '../env';
import { AppError } from '../errors';
import { limitBody } from '../http/body-limit';
import { logError } from '../http/logging';
import { defineRoute } from '../http/route';
import { MAX_IMAGE_BYTES } from './image-files';
import { ImageParams, ImageUploadForm, ImageView, ProductParam } from './images.schemas';
import { addProductImage, deleteImageObjects, deleteImageRow, requireProduct } from './images.service';
import { mediaUrl } from './media-url';

const BASE = '/api/v1/admin/products/:id{[0-9]+}/images';
const admin = { auth: 'admin' as const, tag: 'Admin: catalog' };

// The file may be 5 MiB exactly; the multipart framing around it (boundaries, part headers, alt, position)
// gets 64 KiB on top. The file's own size is checked again after parsing.
export const UPLOAD_REQUEST_LIMIT = MAX_IMAGE_BYTES + 64 * 1024;
const uploadLimit = limitBody({
  maxSize: UPLOAD_REQUEST_LIMIT,
  onError: () => {
    throw new AppError('payload_too_large', 'The upload exceeds 5 MiB.');
  },
});

/** An upload for an unknown product is a 404 before its body is read and validated. */
const productMustExist: MiddlewareHandler<AppEnv> = async (c, next) => {
  await requireProduct(c.get('db'), (c.req.valid as (t: 'param') => { id: number })('param').id);
  await next();
};

export const adminImagesRoutes = [
  defineRoute({
    ...admin, method: 'post', path: `${BASE}/`, summary: 'Upload a product image',
    description:
      'The type is decided by the file’s first bytes (JPEG, PNG, GIF or WebP), never by its name or declared type: anything else is 415. ' +
      'Files over 5 MiB are 413 (checked from Content-Length before the body is read when it is sent). The image is served from ' +
      '`url` with a long-lived immutable Cache-Control.',
    use: [uploadLimit, productMustExist],
    request: { params: ProductParam, body: ImageUploadForm, bodyType: 'multipart/form-data' },
    responses: { 201: { description: 'The stored image', schema: ImageView } },
    errors: ['not_found', 'payload_too_large', 'unsupported_media_type'],
    handler: async (c, { params, body }) => {
      const image = await addProductImage({ db: c.get('db'), bucket: c.env.IMAGES }, params.id, body as ImageUploadForm);
      await purgeTags(productContentChanged(params.id));
      const url = mediaUrl(new URL(c.req.url).origin, image.key);
      return c.json({ id: image.id, url, alt: image.alt, position: image.position }, 201, { Location: url });
    },
  }),

  defineRoute({
    ...admin, method: 'delete', path: `${BASE}/:image_id{[0-9]+}/`, summary: 'Delete a product image (its stored file too)',
    request: { params: ImageParams },
    responses: { 204: { description: 'Deleted' } },
    errors: ['not_found'],
    handler: async (c, { params }) => {
      const key = await deleteImageRow(c.get('db'), params.id, params.image_id);
      await purgeTags(productContentChanged(params.id));
      // The row is gone first: from now on nothing links to the file, so removing it cannot break a page.
      await deleteImageObjects(c.env.IMAGES, [key], (err) => logError(c, 'r2_delete_failed', err));
      return c.body(null, 204);
    },
  }),
];
