/**
 * GET /api/v1/media/{key}: product images from R2. Keys are random UUIDs with an extension and a key's bytes
 * never change, so answers are cacheable for a year as immutable, validated by R2's ETag.
 */
import * as z from 'zod/mini';
import { notFound } from '../errors';
import { defineRoute } from '../http/route';
import { IMAGE_KEY_RE, IMMUTABLE } from './image-files';

const MediaParams = z.object({ key: z.string().check(z.describe('Image key, e.g. "3f0c…e1.png"')) });
const MediaHeaders = z.object({ 'If-None-Match': z.optional(z.string()).check(z.describe('ETag of a cached copy: 304 when it still matches')) });

export const mediaRoutes = [
  defineRoute({
    method: 'get', path: '/api/v1/media/:key', auth: 'public', tag: 'Catalog', summary: 'An image file',
    request: { params: MediaParams, headers: MediaHeaders },
    responses: {
      200: { description: 'The image bytes, with their Content-Type, ETag and Cache-Control: public, max-age=31536000, immutable', schema: z.string(), contentType: 'image/*' },
      304: { description: 'Not modified' },
    },
    errors: ['not_found'],
    handler: async (c, { params, headers: { 'If-None-Match': ifNoneMatch } }) => {
      const { key } = params;
      // Anything that is not one of our keys is unknown without asking R2 (no listing, no path tricks).
      if (!IMAGE_KEY_RE.test(key)) throw notFound('Media');
      // R2 evaluates If-None-Match itself (lists, weak tags, "*"): on a match it returns the metadata without a body.
      const object = await c.env.IMAGES.get(key, ifNoneMatch ? { onlyIf: new Headers({ 'If-None-Match': ifNoneMatch }) } : {});
      if (!object) throw notFound('Media');
      const headers = new Headers();
      object.writeHttpMetadata(headers);
      headers.set('ETag', object.httpEtag);
      headers.set('Cache-Control', IMMUTABLE);
      // Served bytes are images only: never let a browser sniff them into something else or run anything in them.
      headers.set('X-Content-Type-Options', 'nosniff');
      headers.set('Content-Security-Policy', "default-src 'none'; sandbox");
      if (!('body' in object)) return new Response(null, { status: 304, headers });
      headers.set('Content-Length', String(object.size));
      return new Response(object.body, { headers });
    },
  }),
];
