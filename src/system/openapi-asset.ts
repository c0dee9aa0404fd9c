/**
 * The OpenAPI document as GET /api/v1/openapi.json serves it: a static asset written at build time by
 * scripts/static-assets.mjs from the route table (src/http/openapi.ts, which the Worker does not import), read
 * through the ASSETS binding (in-process) once per isolate. The only request-independent setting it carries is
 * the title, the configured APP_NAME: the file is built with the default name and patched here when it differs.
 */

import { assetText } from '../http/asset-text';

/** Where the build writes the document inside the static assets. */
export const OPENAPI_ASSET = '/api/openapi.json';

let served: { title: string; body: string } | undefined;

/** The document's JSON text with `info.title` = `title`. Throws when the asset is missing (a deploy bug: a 500). */
export async function openApiText(assets: Fetcher | undefined, title: string): Promise<string> {
  if (served?.title === title) return served.body;
  const text = await assetText(assets, OPENAPI_ASSET);
  const doc = JSON.parse(text) as { info: { title: string } };
  let body = text;
  if (doc.info.title !== title) {
    doc.info.title = title;
    body = JSON.stringify(doc);
  }
  served = { title, body };
  return body;
}
