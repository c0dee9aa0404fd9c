import type { Env as AppEnv } from '../src/env';
import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env extends AppEnv {
      TEST_MIGRATIONS: D1Migration[];
      FUZZ_RUNS?: string;
      FUZZ_SEED?: string;
    }
  }
}
