/**
 * What an uploaded image is, decided by its first bytes only: a file's name and declared Content-Type are
 * chosen by the client and prove nothing. Objects are stored under unguessable keys (`<uuid>.<ext>`) that
 * carry no user input, so a key can never contain a path or collide with another product's image.
 */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** The Cache-Control of stored images: a key is never reused for other bytes, so they never change. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface ImageType {
  ext: 'jpg' | 'png' | 'gif' | 'webp';
  contentType: string;
}

const ascii = (bytes: Uint8Array, from: number, text: string) =>
  bytes.length >= from + text.length && [...text].every((ch, i) => bytes[from + i] === ch.charCodeAt(0));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bytes needed to recognise every supported type (WebP: "RIFF" + 4 size bytes + "WEBP"). */
export const SNIFF_BYTES = 12;

/** The image type of a file from its first bytes, or null when it is not JPEG, PNG, GIF or WebP. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ext: 'jpg', contentType: 'image/jpeg' };
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return { ext: 'png', contentType: 'image/png' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return { ext: 'gif', contentType: 'image/gif' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { ext: 'webp', contentType: 'image/webp' };
  return null;
}

/** Keys are `<random UUID>.<ext>`; GET /media/{key} answers 404 for anything else without asking R2. */
export const IMAGE_KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(?:jpg|png|gif|webp)$/;

export const newImageKey = (type: ImageType) => `${crypto.randomUUID()}.${type.ext}`;
