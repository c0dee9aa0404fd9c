import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied by wrangler (`npm run db:migrate`) and by the test pool.
export default defineConfig({ dialect: 'sqlite', schema: './src/db/schema.ts', out: './drizzle' });
