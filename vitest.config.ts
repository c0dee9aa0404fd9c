import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests run inside workerd against the real Worker (wrangler.toml), real D1, R2 and Durable Objects.
// The migrations in drizzle/ are applied to each test file's fresh database by test/setup.ts.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./drizzle', import.meta.url)));
  return {
    logLevel: 'error',
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: 'test-secret-0123456789-0123456789-abcdef',
            LOG_LEVEL: 'silent',
            // Server-Timing (D1 round trips) is a LOG_LEVEL=debug feature; the performance assertions need it
            // without debug's log volume. test/http.test.ts proves it is absent at the default level.
            TEST_SERVER_TIMING: 'on',
            CORS_ORIGINS: 'https://shop.example,https://admin.example',
            STRIPE_HOST: '127.0.0.1',
            STRIPE_PORT: '8796',
            // Every answer of a table route is checked against its declared schema (src/http/response-contract.ts).
            CHECK_RESPONSES: '1',
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
