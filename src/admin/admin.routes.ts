/**
 * Everything under /api/v1/admin: one `requireAdmin` guard (401 without a token, 403 for customers) in front of
 * the admin routers of each domain. Admin answers are never cached.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { requireAdmin } from '../http/auth';
import { adminCatalogRoutes } from '../catalog/catalog-admin.routes';
import { adminImagesRoutes } from '../media/images-admin.routes';
import { adminOrdersRoutes } from '../orders/orders-admin.routes';

export const adminRoutes = new Hono<AppEnv>({ strict: false });

adminRoutes.use('/api/v1/admin/*', requireAdmin, async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
});
adminRoutes.route('/', adminCatalogRoutes);
adminRoutes.route('/', adminImagesRoutes);
adminRoutes.route('/', adminOrdersRoutes);
