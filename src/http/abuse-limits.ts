/**
 * Abuse limits through Workers rate-limit bindings (wrangler.toml `[[ratelimits]]`), one rule per costly or
 * guessable action, each answering 429 `rate_limited` with `Retry-After`:
 * - sign-ups and password changes, per client address (forgot/reset have their own limits in the reset flow);
 * - failed password changes (a wrong current password), per user: the guess of a stolen access token's owner's
 *   password is throttled like a login;
 * - review writes, per user;
 * - searches (`?search=` on any list), per client address: an uncached search scans D1.
 * Rules are matched by method and path here, before the route runs, so the limit is spent before any D1 read or
 * password hash. The client address is `CF-Connecting-IP`, which Cloudflare sets and a client cannot forge.
 * Counts are per Cloudflare location and approximate (the binding's documented behaviour), good enough to cap
 * cost, not to meter.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Env } from '../env';
import { AppError } from '../errors';
import { authenticate, bearerToken } from './auth';

type Binding = 'REGISTER_RL' | 'PASSWORD_CHANGE_RL' | 'PASSWORD_FAIL_RL' | 'REVIEW_RL' | 'SEARCH_RL';

interface Rule {
  name: string;
  binding: Binding;
  /** The binding's `period` in wrangler.toml, in seconds (the binding cannot report it): the `Retry-After`. */
  period: number;
  methods: string[];
  path: RegExp;
  per: 'address' | 'user';
  /** Only requests with a non-empty `search` query value count. */
  onlySearch?: boolean;
}

const RULES: Rule[] = [
  { name: 'register', binding: 'REGISTER_RL', period: 60, methods: ['POST'], path: /^\/api\/v1\/users\/register\/?$/, per: 'address' },
  { name: 'password', binding: 'PASSWORD_CHANGE_RL', period: 60, methods: ['POST'], path: /^\/api\/v1\/users\/password\/change\/?$/, per: 'address' },
  { name: 'review', binding: 'REVIEW_RL', period: 60, methods: ['PUT', 'DELETE'], path: /^\/api\/v1\/products\/[^/]+\/review\/?$/, per: 'user' },
  { name: 'search', binding: 'SEARCH_RL', period: 10, methods: ['GET'], path: /^\/api\/v1\/.*/, per: 'address', onlySearch: true },
];

const PASSWORD_CHANGE = /^\/api\/v1\/users\/password\/change\/?$/;
const PASSWORD_FAIL_PERIOD = 60;

export const clientAddress = (c: Context) => c.req.header('CF-Connecting-IP') ?? 'local';

export const tooMany = (seconds: number, what = 'requests') =>
  new AppError('rate_limited', `Too many ${what}. Try again later.`, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) } });

/** The verified caller, or null (no or bad token: the route's own guard answers 401). */
async function callerId(c: Context<AppEnv>): Promise<number | null> {
  const token = bearerToken(c.req.header('Authorization'));
  return token ? ((await authenticate(c, token))?.id ?? null) : null;
}

/**
 * Users over their failed-password-change budget, until when. The binding counts failures but cannot be asked
 * without spending, so a user whose failure was refused is blocked here (per isolate) for the binding's period,
 * before the current password is hashed again. The login limiter does the same.
 */
const blockedUsers = new Map<number, number>();

async function spend(env: Env, binding: Binding, key: string): Promise<boolean> {
  const limiter = env[binding];
  return limiter ? (await limiter.limit({ key })).success : true;
}

export const abuseLimits: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { method, path } = c.req;
  for (const rule of RULES) {
    if (!rule.methods.includes(method) || !rule.path.test(path)) continue;
    if (rule.onlySearch && !c.req.query('search')) continue;
    let key: string;
    if (rule.per === 'user') {
      const id = await callerId(c);
      if (id === null) continue;
      key = `${rule.name}:u${id}`;
    } else key = `${rule.name}:${clientAddress(c)}`;
    if (!(await spend(c.env, rule.binding, key))) throw tooMany(rule.period);
  }

  if (method !== 'POST' || !PASSWORD_CHANGE.test(path)) return next();
  const id = await callerId(c);
  if (id === null) return next();
  const until = blockedUsers.get(id);
  if (until !== undefined) {
    if (until > Date.now()) throw tooMany((until - Date.now()) / 1000, 'failed password changes');
    blockedUsers.delete(id);
  }
  await next();
  // Only a wrong current password counts (a weak new password is not a guess).
  const err = c.error;
  if (err instanceof AppError && err.errors?.some((e) => e.field === 'current_password' && e.message === 'is not correct')) {
    if (!(await spend(c.env, 'PASSWORD_FAIL_RL', `pwfail:u${id}`))) {
      if (blockedUsers.size >= 10_000) blockedUsers.clear();
      blockedUsers.set(id, Date.now() + PASSWORD_FAIL_PERIOD * 1000);
      throw tooMany(PASSWORD_FAIL_PERIOD, 'failed password changes');
    }
  }
};
