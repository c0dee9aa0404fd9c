/** Worker entry: the HTTP app and the Durable Object classes. */
import { buildApp } from './app';

export { CartDO } from './cart/cart.do';
export { CatalogVersionDO } from './catalog/catalog-version.do';
export type { Env } from './env';

const app = buildApp();

export default app satisfies ExportedHandler<import('./env').Env>;
