/**
 * Access to the catalog version (see catalog-version.do.ts). Public catalog reads put it in their cache key;
 * every catalog write calls `bumpCatalogVersion` before answering, so later reads never see older entries.
 */
import type { Env } from '../env';

const stub = (env: Pick<Env, 'CATALOG_VERSION'>) => env.CATALOG_VERSION.get(env.CATALOG_VERSION.idFromName('catalog'));

export const catalogVersion = (env: Pick<Env, 'CATALOG_VERSION'>): Promise<number> => stub(env).current();

export const bumpCatalogVersion = (env: Pick<Env, 'CATALOG_VERSION'>): Promise<number> => stub(env).bump();
