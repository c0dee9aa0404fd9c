/** Admin catalog routes: categories and products (mounted under /api/v1/admin by admin.routes.ts). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const adminCatalogRoutes = new Hono<AppEnv>({ strict: false });
