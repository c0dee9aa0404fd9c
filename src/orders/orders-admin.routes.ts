/** Admin order routes (mounted under /api/v1/admin by admin.routes.ts). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const adminOrdersRoutes = new Hono<AppEnv>({ strict: false });
