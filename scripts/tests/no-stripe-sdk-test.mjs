/**
 * The Worker bundle holds none of the `stripe` SDK: src/ uses it for types only (src/payments/stripe-client.ts
 * talks to Stripe's HTTP API itself). One runtime `import Stripe from 'stripe'` would add ~32 KiB gzip.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('bundles src/index.ts without any module of the stripe package', async () => {
  const result = await build({
    entryPoints: ['src/index.ts'],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    external: ['cloudflare:*', 'node:*', '__STATIC_CONTENT_MANIFEST'],
    loader: { '.html': 'text', '.css': 'text', '.txt': 'text' },
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.startsWith('src/payments/stripe-client.ts')), 'the bundle includes the payments client');
  assert.deepEqual(inputs.filter((p) => p.includes('node_modules/stripe/')), []);
});
