/** Users and tokens routes (API.md "Users and tokens"). */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { currentUser } from '../http/auth';
import { defineRoute, PRIVATE_NO_STORE } from '../http/route';
import { COMMON_PASSWORDS } from './common-passwords';
import { rotateRefreshToken, revokeRefreshToken } from './tokens.service';
import { changePassword, getUser, login, registerUser, updateProfile } from './users.service';
import { PasswordChangeBody, ProfileBody, RefreshBody, RegisterBody, TokenBody, TokenPair, UserView, userView } from './users.schemas';

const API = '/api/v1';
const deps = (c: Context<AppEnv>) => ({ db: c.get('db'), config: c.get('config') });

/**
 * Every route that sets a password runs this before its body is validated: the common-password list is read
 * from the static assets once per isolate, then the zod rule checks synchronously (see common-passwords.ts).
 */
export const commonPasswordsLoaded: MiddlewareHandler<AppEnv> = async (c, next) => {
  await COMMON_PASSWORDS.load(c.env.ASSETS, c.get('config').logLevel);
  await next();
};

export const usersRoutes = [
  defineRoute({
    method: 'post', path: `${API}/users/register/`, auth: 'public', tag: 'Users', summary: 'Register a customer account',
    use: [commonPasswordsLoaded],
    request: { body: RegisterBody },
    responses: { 201: { description: 'The new user', schema: UserView } },
    errors: ['conflict', 'malformed_json'],
    handler: async (c, { body }) => {
      const user = await registerUser(c.get('db'), body);
      return c.json(userView(user), 201, { Location: `${new URL(c.req.url).origin}${API}/users/profile/` });
    },
  }),

  defineRoute({
    method: 'post', path: `${API}/token/`, auth: 'public', tag: 'Users', summary: 'Obtain an access and refresh token pair',
    request: { body: TokenBody },
    responses: { 200: { description: 'Token pair', schema: TokenPair } },
    errors: ['invalid_credentials', 'permission_denied', 'rate_limited'],
    handler: async (c, { body }) => {
      const clientKey = c.req.header('CF-Connecting-IP') ?? 'local';
      const pair = await login(deps(c), body, { clientKey, rateLimiter: c.env.LOGIN_RL });
      return c.json(pair, 200, { 'Cache-Control': PRIVATE_NO_STORE });
    },
  }),

  defineRoute({
    method: 'post', path: `${API}/token/refresh/`, auth: 'public', tag: 'Users', summary: 'Rotate a refresh token',
    description: 'The presented refresh token stops working. Presenting an already-rotated token revokes its whole login family.',
    request: { body: RefreshBody },
    responses: { 200: { description: 'New token pair', schema: TokenPair } },
    errors: ['token_invalid'],
    handler: async (c, { body }) => {
      const pair = await rotateRefreshToken(deps(c), body.refresh);
      return c.json(pair, 200, { 'Cache-Control': PRIVATE_NO_STORE });
    },
  }),

  defineRoute({
    method: 'post', path: `${API}/users/logout/`, auth: 'customer', tag: 'Users', summary: 'Revoke a refresh token (and its family)',
    request: { body: RefreshBody },
    responses: { 204: { description: 'Revoked' } },
    errors: ['token_invalid'],
    handler: async (c, { body }) => {
      await revokeRefreshToken(deps(c), currentUser(c).id, body.refresh);
      return c.body(null, 204);
    },
  }),

  defineRoute({
    method: 'get', path: `${API}/users/profile/`, auth: 'customer', tag: 'Users', summary: 'The caller’s profile',
    responses: { 200: { description: 'User', schema: UserView } },
    errors: ['permission_denied'],
    handler: async (c) => c.json(userView(await getUser(c.get('db'), currentUser(c).id))),
  }),

  defineRoute({
    method: ['patch', 'put'], path: `${API}/users/profile/`, auth: 'customer', check: 'token', tag: 'Users',
    summary: 'Update name and phone (email and role are not changed here)',
    request: { body: ProfileBody },
    responses: { 200: { description: 'User', schema: UserView } },
    errors: ['permission_denied', 'malformed_json'],
    handler: async (c, { body }) => c.json(userView(await updateProfile(c.get('db'), currentUser(c).id, body))),
  }),

  defineRoute({
    method: 'post', path: `${API}/users/password/change/`, auth: 'customer', check: 'token', tag: 'Users', summary: 'Change the password; revokes all refresh tokens',
    use: [commonPasswordsLoaded],
    request: { body: PasswordChangeBody },
    responses: { 204: { description: 'Changed' } },
    errors: ['permission_denied', 'malformed_json'],
    handler: async (c, { body }) => {
      await changePassword(c.get('db'), currentUser(c).id, body);
      return c.body(null, 204);
    },
  }),
];
