import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a plain .mjs script without types
import { buildStaticAssets } from './scripts/static-assets.mjs';

/** A port that is free right now (other test suites run on this machine at the same time: never a fixed one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// Tests run inside workerd against the real Worker (wrangler.toml), real D1, R2, Durable Objects and Queues.
// The migrations in drizzle/ are applied to each test file's fresh database by test/setup.ts. Stripe and the
// email provider are a local fake (test/fake-provider.mjs) started by test/global-setup.ts on a free port.
export default defineConfig(async () => {
  // static/ (the docs UI, console files, common passwords, the OpenAPI document built from the route table), as
  // wrangler's [build] step fills it for dev and deploy. Built once per run: in watch mode, a route change needs a
  // restart before test/openapi-asset.test.ts sees a fresh document.
  await buildStaticAssets();
  const migrations = await readD1Migrations(fileURLToPath(new URL('./drizzle', import.meta.url)));
  process.env.FAKE_PROVIDER_PORT ??= String(await freePort());
  const fake = `http://127.0.0.1:${process.env.FAKE_PROVIDER_PORT}`;
  return {
    logLevel: 'error',
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // The suite signs up many users from one address ('local') in one file: the sign-up and password-route
          // limits are raised here; test/abuse-limits.test.ts proves both 429s against these values.
          ratelimits: {
            REGISTER_RL: { namespace_id: '1101', simple: { limit: 60, period: 60 } },
            PASSWORD_CHANGE_RL: { namespace_id: '1102', simple: { limit: 60, period: 60 } },
          },
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: 'test-secret-0123456789-0123456789-abcdef',
            LOG_LEVEL: 'silent',
            // Server-Timing (D1 round trips) is a LOG_LEVEL=debug feature; the performance assertions need it
            // without debug's log volume. test/login-lockout.test.ts proves it is absent at the default level.
            SERVER_TIMING: 'on',
            CORS_ORIGINS: 'https://shop.example,https://admin.example',
            // Every answer of a table route is checked against its declared schema (src/http/response-contract.ts).
            CHECK_RESPONSES: '1',
            STRIPE_SECRET_KEY: 'sk_test_fake_0123456789',
            STRIPE_WEBHOOK_SECRET: 'whsec_test_0123456789abcdef',
            STRIPE_API_BASE: fake,
            CHECKOUT_SUCCESS_URL: 'https://shop.example/checkout/success?session_id={CHECKOUT_SESSION_ID}',
            CHECKOUT_CANCEL_URL: 'https://shop.example/checkout/cancel',
            PASSWORD_RESET_URL: 'https://shop.example/reset-password',
            EMAIL_TRANSPORT: 'http',
            EMAIL_API_URL: `${fake}/emails`,
            EMAIL_API_KEY: 're_test_fake',
            EMAIL_FROM: 'Edge Shop <no-reply@shop.example>',
            EMAIL_RETRY_DELAY_SECONDS: '1',
            // test/fuzz.test.ts: requests per operation and seed (`npm run fuzz -- --runs N --seed S` sets them).
            FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
            FUZZ_SEED: process.env.FUZZ_SEED ?? '',
          },
        },
      }),
    ],
    test: {
      // Stylesheets are not processed (vitest's default) except a `?raw` import, which must be the file's text:
      // test/static-assets.test.ts compares the served console.css with its source.
      css: { include: [/\.css\?raw$/] },
      setupFiles: ['./test/setup.ts'],
      globalSetup: ['./test/global-setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
