/** Admin image upload: the multipart form, path parameters and the image view (the API contract). */
import * as z from 'zod/mini';
import { ImageView } from '../catalog/products.queries';
import { pathId } from '../http/validate';
import { maxChars, nameText } from '../lib/text';

const typed = (message: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : message) });

export const ImageUploadForm = z.object({
  file: z.file(typed('must be a file part')).check(z.describe('JPEG, PNG, GIF or WebP, at most 5 MiB; the type is read from the bytes')),
  alt: z.optional(nameText(typed('must be text')).check(maxChars(300))),
  // Form fields are text; an empty field counts as absent (the image then goes after the last one).
  position: z
    .optional(
      z.pipe(
        z.string(typed('must be a non-negative integer')).check(z.trim(), z.regex(/^\d{0,7}$/, 'must be a non-negative integer')),
        z.transform((s: string) => (s === '' ? undefined : Number(s))),
      ),
    )
    .check(z.describe('Sort position (ascending); default: after the last image')),
});
// zod checks `instanceof File` at run time but types the value with its own File interface.
export type ImageUploadForm = Omit<z.output<typeof ImageUploadForm>, 'file'> & { file: File };

export const ProductParam = z.object({ id: pathId('Product id (integer)') });
export const ImageParams = z.object({ id: pathId('Product id (integer)'), image_id: pathId('Image id (integer)') });

export { ImageView };
