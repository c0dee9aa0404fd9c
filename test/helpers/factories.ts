/**
 * Test data factories. Rows are written straight into the real D1 (fast, no PBKDF2 per user) and tokens are
 * signed with the test configuration, exactly as the token endpoint would sign them. Catalog factories
 * purge the whole catalog cache so edge-cached reads see the new rows (an admin write purges only what it touches).
 */
import { env } from 'cloudflare:test';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/db/client';
import { categories, products, users } from '../../src/db/schema';
import { purgeEverything } from '../../src/catalog/cache-store';
import { signAccessToken } from '../../src/users/access-token';
import { hashPassword } from '../../src/users/password';

export const db = () => createDb(env.DB);
export const config = () => loadConfig(env);

let seq = 0;
export const unique = (prefix = 'x') => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`;

export const TEST_PASSWORD = 'Correct-Horse-9';
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: 'customer' | 'admin';
  token: string;
}

export async function makeUser(opts: { role?: 'customer' | 'admin'; email?: string; isActive?: boolean } = {}): Promise<TestUser> {
  const role = opts.role ?? 'customer';
  const email = opts.email ?? `${unique('user')}@example.com`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const [row] = await db()
    .insert(users)
    .values({ email, passwordHash: await passwordHash, role, isActive: opts.isActive ?? true, firstName: 'Test', lastName: 'User' })
    .returning();
  const token = await signAccessToken(config().jwt, { id: row.id, role });
  return { id: row.id, email, password: TEST_PASSWORD, role, token };
}

export const makeAdmin = () => makeUser({ role: 'admin' });

export async function makeCategory(opts: { name?: string; slug?: string; description?: string } = {}) {
  const name = opts.name ?? unique('Category ');
  const [row] = await db()
    .insert(categories)
    .values({ name, slug: opts.slug ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), description: opts.description ?? '' })
    .returning();
  await purgeEverything();
  return row;
}

export interface ProductOpts {
  name?: string;
  sku?: string;
  description?: string;
  priceCents?: number;
  stock?: number;
  categoryId?: number | null;
  isActive?: boolean;
  createdAt?: string;
}

export async function makeProduct(opts: ProductOpts = {}) {
  const name = opts.name ?? unique('Product ');
  const sku = opts.sku ?? unique('SKU-').toUpperCase();
  const [row] = await db()
    .insert(products)
    .values({
      name,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${sku.toLowerCase()}`,
      sku,
      description: opts.description ?? `Description of ${name}`,
      priceCents: opts.priceCents ?? 1000,
      stock: opts.stock ?? 10,
      categoryId: opts.categoryId ?? null,
      isActive: opts.isActive ?? true,
      ...(opts.createdAt ? { createdAt: opts.createdAt, updatedAt: opts.createdAt } : {}),
    })
    .returning();
  await purgeEverything();
  return row;
}
