/**
 * Text files the Worker reads from its own static assets (the ASSETS binding: in-process, no network), once per
 * isolate: what the build writes there (the OpenAPI document, the docs page) need not be part of the script.
 */
/** Per binding (one in production; tests hand in others), per path. */
const texts = new WeakMap<Fetcher, Map<string, Promise<string>>>();

/** The asset's text; throws when the binding or the file is missing (the build step did not run: a deploy bug). */
export function assetText(assets: Fetcher | undefined, path: string): Promise<string> {
  if (!assets) return Promise.reject(new Error(`no ASSETS binding: ${path} is a static asset (npm run assets builds static/)`));
  let byPath = texts.get(assets);
  if (!byPath) texts.set(assets, (byPath = new Map()));
  let text = byPath.get(path);
  if (!text) {
    text = readAsset(assets, path);
    byPath.set(path, text);
    // A failed read is not remembered: the next request tries again.
    text.catch(() => byPath.delete(path));
  }
  return text;
}

async function readAsset(assets: Fetcher, path: string): Promise<string> {
  // Any origin: the assets binding serves by path.
  const res = await assets.fetch(new URL(path, 'https://assets.local'));
  if (!res.ok) throw new Error(`static asset ${path} answered ${res.status}: the build step (npm run assets) did not run`);
  return res.text();
}
