/**
 * Product images: bytes in R2 under unguessable keys, one product_images row each. The R2 object is written
 * first and the row second, so a row never points at a missing object; when the row cannot be written the
 * object is removed again. Deleting goes the other way round (row, then object) for the same reason.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { productImages, products } from '../db/schema';
import { AppError, notFound } from '../errors';
import { isForeignKeyViolation } from '../catalog/constraint-errors';
import { IMMUTABLE, MAX_IMAGE_BYTES, newImageKey, SNIFF_BYTES, sniffImageType } from './image-files';
import type { ImageUploadForm } from './images.schemas';

export interface ImageDeps {
  db: Db;
  bucket: R2Bucket;
}

export interface StoredImage {
  id: number;
  key: string;
  alt: string;
  position: number;
}

/** 404 unless the product exists (inactive products may have images too). */
export async function requireProduct(db: Db, productId: number): Promise<void> {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.id, productId));
  if (!row) throw notFound('Product');
}

/** Size and type checks of an uploaded file; the declared name and Content-Type are ignored. */
async function checkFile(file: File) {
  if (file.size > MAX_IMAGE_BYTES) throw new AppError('payload_too_large', 'The image exceeds 5 MiB.');
  if (file.size === 0) {
    throw new AppError('validation_error', 'The uploaded file is empty.', { errors: [{ field: 'file', message: 'must not be empty' }] });
  }
  const type = sniffImageType(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (!type) throw new AppError('unsupported_media_type', 'The file is not a JPEG, PNG, GIF or WebP image.');
  return type;
}

export async function addProductImage(deps: ImageDeps, productId: number, form: ImageUploadForm): Promise<StoredImage> {
  const type = await checkFile(form.file);
  const key = newImageKey(type);
  await deps.bucket.put(key, await form.file.arrayBuffer(), {
    httpMetadata: { contentType: type.contentType, cacheControl: IMMUTABLE },
    customMetadata: { product_id: String(productId) },
  });
  try {
    const [row] = await deps.db
      .insert(productImages)
      .values({
        productId,
        key,
        contentType: type.contentType,
        size: form.file.size,
        alt: form.alt ?? '',
        // Default position: after the last image, computed in the INSERT itself (no read-then-write gap).
        position: form.position ?? sql`(SELECT coalesce(max(${productImages.position}) + 1, 0) FROM ${productImages} WHERE ${productImages.productId} = ${productId})`,
      })
      .returning({ id: productImages.id, key: productImages.key, alt: productImages.alt, position: productImages.position });
    return row;
  } catch (e) {
    await deps.bucket.delete(key);
    // The product was deleted while the bytes were uploading.
    if (isForeignKeyViolation(e)) throw notFound('Product');
    throw e;
  }
}

/** Removes the image row and returns its R2 key; 404 when the image does not belong to that product. */
export async function deleteImageRow(db: Db, productId: number, imageId: number): Promise<string> {
  const [row] = await db
    .delete(productImages)
    .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId)))
    .returning({ key: productImages.key });
  if (!row) throw notFound('Image');
  return row.key;
}

/**
 * Deletes R2 objects (R2 takes up to 1000 keys per call). Called after the rows are gone and the write has
 * committed, so a failure here must not turn the answer into an error: the orphaned objects are unreachable
 * (no row links to them) and are only reported through `onError`.
 */
export async function deleteImageObjects(bucket: R2Bucket, keys: string[], onError: (err: unknown) => void): Promise<void> {
  try {
    for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
  } catch (err) {
    onError(err);
  }
}

/**
 * Moves an image one place earlier (-1) or later (+1) among its product's images, renumbering positions 0..n-1
 * in one batch. 404 when the image does not belong to the product; a move past either end changes nothing.
 */
export async function moveImage(db: Db, productId: number, imageId: number, step: -1 | 1): Promise<void> {
  const rows = await db
    .select({ id: productImages.id })
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(productImages.position, productImages.id);
  const ids = rows.map((r) => r.id);
  const from = ids.indexOf(imageId);
  if (from < 0) throw notFound('Image');
  const to = from + step;
  if (to < 0 || to >= ids.length) return;
  [ids[from], ids[to]] = [ids[to], ids[from]];
  const [first, ...rest] = ids.map((id, position) =>
    db.update(productImages).set({ position }).where(and(eq(productImages.id, id), eq(productImages.productId, productId))),
  );
  await db.batch([first, ...rest]);
}
