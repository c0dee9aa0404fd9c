/** cart routes (see ../shared/API.md). */
import { Hono } from 'hono';
import type { AppEnv } from '../env';

export const cartRoutes = new Hono<AppEnv>({ strict: false });
