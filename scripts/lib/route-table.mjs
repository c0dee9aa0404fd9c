/**
 * The route table (src/routes.ts) loaded in Node: bundled with esbuild together with the OpenAPI builder. Shared by
 * scripts/static-assets.mjs (which writes the document GET /api/v1/openapi.json serves), scripts/gen-client.mjs and
 * scripts/gen-routes-doc.mjs.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const workerdStandIn = {
  name: 'workerd-stand-in',
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'workerd-stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'workerd-stand-in' }, () => ({ contents: 'export class DurableObject {}; export default {};', loader: 'js' }));
  },
};

/** `{ routeTable, openApiDocument, openApiPath, docsPage, DOCS_INIT_SCRIPT }` from the TypeScript sources. */
export async function loadRouteModule() {
  const result = await build({
    stdin: {
      contents:
        "export { routeTable } from './src/routes'; export { openApiDocument, openApiPath } from './src/http/openapi';" +
        " export { docsPage, DOCS_INIT_SCRIPT } from './src/system/docs-page';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    write: false,
    // Nothing from workerd runs here: `cloudflare:*` modules become an empty stand-in (the routes only reference
    // Durable Object classes as types, and the cache's optional global purge is looked up at request time).
    plugins: [workerdStandIn],
    // The Worker builds of dependencies (their `workerd` / `worker` exports), as wrangler bundles them: no Node built-ins.
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}
