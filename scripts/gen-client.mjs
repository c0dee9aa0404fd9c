#!/usr/bin/env node
/**
 * Generates the typed client's contract from the route table: bundles src/routes.ts + the OpenAPI builder with
 * esbuild, builds the document exactly as GET /api/v1/openapi.json does, and writes
 *   client/openapi.json        the document (committed, for other generators and reviewers)
 *   client/src/api.gen.ts      request/response types of every operation and the operation map the client uses
 * `--check` writes nothing and exits 1 when either file is out of date (CI runs it: npm run client:check).
 * After adding or changing a route: npm run client:generate.
 */
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { toTs } from './lib/json-schema-ts.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT_DOC = `${root}client/openapi.json`;
const OUT_TYPES = `${root}client/src/api.gen.ts`;
const TITLE = 'Edge Shop API';

const workerdStandIn = {
  name: 'workerd-stand-in',
  setup(b) {
    b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'workerd-stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'workerd-stand-in' }, () => ({ contents: 'export class DurableObject {}; export default {};', loader: 'js' }));
  },
};

async function openApiDocument() {
  const result = await build({
    stdin: { contents: "export { routeTable } from './src/routes'; export { openApiDocument } from './src/http/openapi';", resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    write: false,
    // Nothing from workerd runs here: `cloudflare:*` modules become an empty stand-in (the routes only reference
    // Durable Object classes as types, and the cache's optional global purge is looked up at request time).
    plugins: [workerdStandIn],
    // The Worker builds of dependencies (stripe's `workerd` export), as wrangler bundles them: no Node built-ins.
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
  return mod.openApiDocument(TITLE, mod.routeTable);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `{ name: type; ... }` of the parameters of one location, or undefined when there are none. */
function paramsType(params, where) {
  const list = params.filter((p) => p.in === where);
  if (!list.length) return undefined;
  const fields = list.map((p) => `${JSON.stringify(p.name)}${p.required ? '' : '?'}: ${p.in === 'path' ? 'string | number' : toTs(p.schema, 2)}`);
  return { type: `{ ${fields.join('; ')} }`, required: list.some((p) => p.required) };
}

/** The type of one declared answer, written at `depth` (object literals are indented from there). */
function responseType(status, res, depth) {
  const json = res.content?.['application/json'];
  if (json) return toTs(json.schema, depth);
  if (res.content) return 'Blob';
  return status === '204' || status === '304' ? 'undefined' : 'unknown';
}

function operationTypes(op) {
  const parts = [];
  const path = paramsType(op.parameters, 'path');
  const query = paramsType(op.parameters, 'query');
  const headers = paramsType(op.parameters, 'header');
  if (path) parts.push(`params: ${path.type};`);
  if (query) parts.push(`query${query.required ? '' : '?'}: ${query.type};`);
  if (headers) parts.push(`headers${headers.required ? '' : '?'}: ${headers.type};`);
  const body = op.requestBody && Object.values(op.requestBody.content)[0];
  if (body) parts.push(`body: ${toTs(body.schema, 3)};`);
  const declared = Object.entries(op.responses).filter(([status]) => /^\d+$/.test(status));
  // 304 comes only to callers who send If-None-Match; the client resolves it to undefined (see call()).
  const success = declared.filter(([status]) => Number(status) < 300);
  return {
    input: parts.length ? `{\n      ${parts.join('\n      ')}\n    }` : 'Record<string, never>',
    responses: `{\n${declared.map(([s, res]) => `      ${s}: ${responseType(s, res, 3)};`).join('\n')}\n    }`,
    success: [...new Set(success.map(([s, res]) => responseType(s, res, 2)))].join(' | ') || 'undefined',
  };
}

function typesFile(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method]) ops.push({ path, method, op: item[method] });
  }
  const map = ops.map(({ path, method, op }) => {
    const body = op.requestBody ? Object.keys(op.requestBody.content)[0] : undefined;
    return `  ${op.operationId}: { method: '${method.toUpperCase()}', path: '${path}', auth: ${Boolean(op.security)}${body ? `, body: '${body}'` : ''} },`;
  });
  const types = ops.map(({ path, method, op }) => {
    const t = operationTypes(op);
    return [
      `  /** ${method.toUpperCase()} ${path}: ${op.summary.replace(/\*\//g, '* /')} */`,
      `  ${op.operationId}: {`,
      `    input: ${t.input};`,
      `    responses: ${t.responses};`,
      `    success: ${t.success};`,
      '  };',
    ].join('\n');
  });
  return `// Generated by scripts/gen-client.mjs from the route table (client/openapi.json). Do not edit:
// run \`npm run client:generate\` after adding or changing a route.

/** The RFC 9457 problem every error answer carries. */
export type Problem = ${toTs(doc.components.schemas.Problem)};

/** Every operation, by operationId: method, path (with {params}), whether it needs a bearer token, body type. */
export const operations = {
${map.join('\n')}
} as const;

/** Per operation: what a call takes, every declared answer by status, and what a successful call returns. */
export interface Operations {
${types.join('\n')}
}
`;
}

const doc = await openApiDocument();
const files = [
  [OUT_DOC, `${JSON.stringify(doc, null, 2)}\n`],
  [OUT_TYPES, typesFile(doc)],
];
if (process.argv.includes('--check')) {
  const stale = [];
  for (const [file, text] of files) if ((await readFile(file, 'utf8').catch(() => '')) !== text) stale.push(file.slice(root.length));
  if (stale.length) {
    console.error(`Out of date: ${stale.join(', ')}. Run: npm run client:generate`);
    process.exit(1);
  }
  console.log('client/ is up to date with the route table.');
} else {
  for (const [file, text] of files) await writeFile(file, text);
  console.log(`Wrote ${files.map(([f]) => f.slice(root.length)).join(', ')}.`);
}
