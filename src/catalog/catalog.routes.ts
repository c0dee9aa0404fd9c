/** Public catalog routes (API.md "Catalog (public)"). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const catalogRoutes = new Hono<AppEnv>({ strict: false });
