/**
 * THE route table: every route the API serves, in one list. `app.ts` registers it, the OpenAPI document is
 * generated from it at build time (scripts/static-assets.mjs), the authorization tests iterate it, and the typed client is generated from its document.
 * A new route is a `defineRoute({...})` in its domain's `*.routes.ts`, and that list is spread here.
 */
import { cartRoutes } from './cart/cart.routes';
import { adminProductsRoutes } from './catalog/catalog-admin.routes';
import { catalogRoutes } from './catalog/catalog.routes';
import { adminCategoriesRoutes } from './catalog/categories-admin.routes';
import type { AnyRoute } from './http/route';
import { adminImagesRoutes } from './media/images-admin.routes';
import { mediaRoutes } from './media/media.routes';
import { adminOrdersRoutes } from './orders/orders-admin.routes';
import { ordersRoutes } from './orders/orders.routes';
import { paymentsRoutes } from './payments/payments.routes';
import { notificationsRoutes } from './realtime/notifications.routes';
import { adminUsersRoutes } from './admin/admin-users.routes';
import { conversationsRoutes } from './conversations/conversations.routes';
import { reviewsRoutes } from './reviews/reviews.routes';
import { docsRoutes } from './system/docs.routes';
import { systemRoutes } from './system/system.routes';
import { passwordResetRoutes } from './users/password-reset.routes';
import { usersRoutes } from './users/users.routes';

export const routeTable: readonly AnyRoute[] = [
  ...systemRoutes,
  ...docsRoutes,
  ...usersRoutes,
  ...passwordResetRoutes,
  ...catalogRoutes,
  ...reviewsRoutes,
  ...mediaRoutes,
  ...cartRoutes,
  ...adminCategoriesRoutes,
  ...adminProductsRoutes,
  ...adminImagesRoutes,
  ...adminOrdersRoutes,
  ...adminUsersRoutes,
  ...ordersRoutes,
  ...paymentsRoutes,
  ...notificationsRoutes,
  ...conversationsRoutes,
];
