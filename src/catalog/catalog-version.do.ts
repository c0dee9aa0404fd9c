/**
 * The catalog version: one Durable Object (named "catalog") holding a counter that is part of every edge-cache
 * key of public catalog reads. Every admin catalog write and review change bumps it before its response returns,
 * so no later read can hit an entry cached before the write. The counter lives in memory and in the object's
 * storage; reads are answered from memory.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';

export class CatalogVersionDO extends DurableObject<Env> {
  private version = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.version = (await ctx.storage.get<number>('version')) ?? 1;
    });
  }

  current(): number {
    return this.version;
  }

  async bump(): Promise<number> {
    this.version += 1;
    await this.ctx.storage.put('version', this.version);
    return this.version;
  }
}
