/**
 * THE route table: every route the API serves, in one list. `app.ts` registers it, the OpenAPI document is
 * generated from it, the authorization tests iterate it, and the typed client is generated from its document.
 */
import type { AnyRoute } from './http/route';
import { ordersRoutes } from './orders/orders.routes';

export const routeTable: readonly AnyRoute[] = [...ordersRoutes];
