/**
 * Durable Object RPC results. Errors thrown across RPC lose their properties, so an object's methods return
 * `{ ok: true, … } | RpcFailure`, each carrying the D1 round trips made inside the object. `unwrapRpcResult`
 * (in the Worker) adds those round trips to the request's count and turns a failure into the AppError the
 * problem handler answers.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError, type ErrorCode, type FieldError } from '../errors';

/** A field problem as it crosses RPC (plain data: no index signature). */
export interface RpcFieldError {
  field: string;
  message: string;
  available?: number;
}

export interface RpcFailure {
  ok: false;
  code: ErrorCode;
  detail: string;
  errors?: RpcFieldError[];
  dbCalls: number;
}

export const rpcFailure = (code: ErrorCode, detail: string, dbCalls: number, errors?: readonly RpcFieldError[]): RpcFailure => ({
  ok: false,
  code,
  detail,
  dbCalls,
  ...(errors ? { errors: [...errors] } : {}),
});

/** The success value of an RPC result, after counting its D1 calls; a failure is thrown as an AppError. */
export function unwrapRpcResult<R extends { ok: boolean; dbCalls: number }>(c: Context<AppEnv>, result: R): Exclude<R, { ok: false }> {
  c.get('dbCalls').count += result.dbCalls;
  if (!result.ok) {
    const f = result as unknown as RpcFailure;
    throw new AppError(f.code, f.detail, { errors: f.errors as FieldError[] | undefined });
  }
  return result as Exclude<R, { ok: false }>;
}
