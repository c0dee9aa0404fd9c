/** loadConfig: validation of env vars and secrets, with errors that name the variable and never its value. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import type { Env } from '../../src/env';

const SECRET = 'unit-test-secret-0123456789-0123456789';
const fakeEnv = (vars: Record<string, string | undefined> = {}) => ({ JWT_SECRET: SECRET, ...vars }) as unknown as Env;

function configError(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('loadConfig accepted a bad configuration');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const cfg = loadConfig(fakeEnv());
    expect(cfg).toMatchObject({
      appName: 'Edge Shop API',
      jwt: { secret: SECRET, issuer: 'edge-shop-api', audience: 'edge-shop-clients', accessTtl: 900, refreshTtl: 604800 },
      corsOrigins: '*',
      catalogCache: true,
      logLevel: 'info',
      login: { maxFailures: 5, lockSeconds: 300 },
    });
    expect(cfg.stripe).toBeUndefined();
  });

  it('names a missing JWT_SECRET (and treats an empty one as missing)', () => {
    for (const env of [fakeEnv({ JWT_SECRET: undefined }), fakeEnv({ JWT_SECRET: '' })]) {
      const err = configError(env);
      expect(err.message).toContain('JWT_SECRET');
      expect(err.problems).toEqual([expect.stringMatching(/^JWT_SECRET is required/)]);
    }
  });

  it('names a too-short JWT_SECRET without printing it', () => {
    const err = configError(fakeEnv({ JWT_SECRET: 'short-secret-value' }));
    expect(err.message).toContain('JWT_SECRET');
    expect(err.message).not.toContain('short-secret-value');
  });

  it('lists every bad variable at once', () => {
    const err = configError(fakeEnv({ JWT_SECRET: undefined, ACCESS_TOKEN_TTL_SECONDS: 'soon', LOG_LEVEL: 'loud', LOGIN_MAX_FAILURES: '0' }));
    const named = err.problems.map((p) => p.split(' ')[0]).sort();
    expect(named).toEqual(['ACCESS_TOKEN_TTL_SECONDS', 'JWT_SECRET', 'LOGIN_MAX_FAILURES', 'LOG_LEVEL']);
  });

  it('reads numbers and a normalized list of CORS origins', () => {
    const cfg = loadConfig(fakeEnv({ ACCESS_TOKEN_TTL_SECONDS: '60', CORS_ORIGINS: ' https://Shop.Example/ , http://localhost:5173,' }));
    expect(cfg.jwt.accessTtl).toBe(60);
    expect(cfg.corsOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
  });

  it('refuses CORS entries that are not origins', () => {
    for (const bad of ['shop.example', 'https://shop.example/path', 'ftp://shop.example']) {
      expect(configError(fakeEnv({ CORS_ORIGINS: `https://ok.example,${bad}` })).problems[0]).toMatch(/^CORS_ORIGINS /);
    }
  });

  it('enables Stripe only when both secrets are set', () => {
    expect(loadConfig(fakeEnv({ STRIPE_SECRET_KEY: 'sk_test_1' })).stripe).toBeUndefined();
    expect(loadConfig(fakeEnv({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' })).stripe).toEqual({ secretKey: 'sk_test_1', webhookSecret: 'whsec_1' });
    const local = { STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_BASE: 'http://127.0.0.1:12111' };
    expect(loadConfig(fakeEnv(local)).stripe?.apiBase).toBe('http://127.0.0.1:12111');
    expect(configError(fakeEnv({ ...local, STRIPE_API_BASE: 'ftp://127.0.0.1' })).problems[0]).toMatch(/^STRIPE_API_BASE /);
  });

  it('validates once per env object', () => {
    const env = fakeEnv();
    expect(loadConfig(env)).toBe(loadConfig(env));
  });
});
