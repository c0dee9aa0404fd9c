/** reviews routes (see ../shared/API.md). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const reviewsRoutes = new Hono<AppEnv>({ strict: false });
