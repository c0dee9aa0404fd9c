import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { GIF, imageForm, JPEG, PNG } from './fixtures/images';
import { makeAdmin, makeProduct } from './helpers/factories';
import { api, expectProblem, json } from './helpers/http';

let pngKey: string;
beforeAll(async () => {
  const admin = await makeAdmin();
  const product = await makeProduct();
  const res = await api('POST', `/api/v1/admin/products/${product.id}/images/`, { token: admin.token, raw: imageForm(PNG, { name: 'x.png' }) });
  pngKey = decodeURIComponent((await json(res)).url.split('/api/v1/media/')[1]);
});

const media = (key: string, headers: Record<string, string> = {}) => api('GET', `/api/v1/media/${encodeURIComponent(key)}`, { headers });

describe('GET /api/v1/media/{key}', () => {
  it('streams the bytes publicly with type, ETag and an immutable Cache-Control', async () => {
    const res = await media(pngKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    const etag = res.headers.get('ETag');
    expect(etag).toBe((await env.IMAGES.head(pngKey))?.httpEtag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  it('answers 304 with no body to a matching If-None-Match, 200 otherwise', async () => {
    const etag = (await media(pngKey)).headers.get('ETag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await media(pngKey, { 'If-None-Match': header });
      expect(res.status, header).toBe(304);
      expect(res.headers.get('ETag')).toBe(etag);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toBe('');
    }
    const miss = await media(pngKey, { 'If-None-Match': '"not-the-etag"' });
    expect(miss.status).toBe(200);
    expect(new Uint8Array(await miss.arrayBuffer())).toEqual(PNG);
  });

  it('serves every stored type with its own Content-Type', async () => {
    for (const [bytes, type, ext] of [[JPEG, 'image/jpeg', 'jpg'], [GIF, 'image/gif', 'gif']] as const) {
      const key = `${crypto.randomUUID()}.${ext}`;
      await env.IMAGES.put(key, bytes, { httpMetadata: { contentType: type } });
      const res = await media(key);
      expect(res.headers.get('Content-Type')).toBe(type);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await api('HEAD', `/api/v1/media/${pngKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(res.headers.get('ETag')).toBeTruthy();
    expect(await res.text()).toBe('');
  });

  it('answers a 404 problem for an unknown key', async () => {
    await expectProblem(await media(`${crypto.randomUUID()}.png`), 404, 'not_found');
  });

  it('answers 404 for anything that is not a key of ours, even when R2 has it', async () => {
    await env.IMAGES.put('private/notes.txt', 'secret');
    await env.IMAGES.put('plain.png', PNG);
    for (const key of ['private/notes.txt', 'plain.png', '../etc/passwd', `${pngKey}.html`, pngKey.toUpperCase(), `${pngKey.slice(0, -4)}.svg`]) {
      await expectProblem(await media(key), 404, 'not_found');
    }
    await expectProblem(await api('GET', '/api/v1/media/private/notes.txt'), 404, 'not_found');
  });
});
