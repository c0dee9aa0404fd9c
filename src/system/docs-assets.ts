/**
 * The docs page as the Worker serves it: its HTML (with the per-code problem reference) and start-up script are
 * static assets written at build time by scripts/static-assets.mjs from src/system/docs-page.ts and
 * problem-docs.ts, which the Worker does not import. Read through the ASSETS binding (in-process) once per isolate.
 */
import { assetText } from '../http/asset-text';

/** Where scripts/static-assets.mjs puts the Swagger UI files inside the static assets directory. */
export const DOCS_UI_BASE = '/docs-ui/';
/** The page and its start-up script inside the static assets. */
export const DOCS_PAGE_ASSET = '/api/docs.html';
export const DOCS_INIT_ASSET = '/api/docs-init.js';
/** Stands for the configured APP_NAME in the built page; replaced, escaped, on every answer. */
export const APP_NAME_SLOT = '%APP_NAME%';

/** APP_NAME is configuration, not code: it is escaped before it goes into the page. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page with `appName` in its title. Throws when the asset is missing (a deploy bug: a 500). */
export async function docsPageHtml(assets: Fetcher | undefined, appName: string): Promise<string> {
  return (await assetText(assets, DOCS_PAGE_ASSET)).replace(APP_NAME_SLOT, escapeHtml(appName));
}
