/** Admin product image routes: upload to R2 and delete (mounted under /api/v1/admin by admin.routes.ts). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const adminImagesRoutes = new Hono<AppEnv>({ strict: false });
