/** Users and tokens routes (API.md "Users and tokens"). */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { currentUser, requireUser } from '../http/auth';
import { describe } from '../http/openapi';
import { jsonBody } from '../http/validate';
import { rotateRefreshToken, revokeRefreshToken } from './tokens.service';
import { changePassword, getUser, login, registerUser, updateProfile } from './users.service';
import { PasswordChangeBody, ProfileBody, RefreshBody, RegisterBody, TokenBody, TokenPair, UserView, userView } from './users.schemas';

export const usersRoutes = new Hono<AppEnv>({ strict: false });
const API = '/api/v1';
const deps = (c: Context<AppEnv>) => ({ db: c.get('db'), config: c.get('config') });

describe({
  method: 'post', path: `${API}/users/register/`, tag: 'Users', summary: 'Register a customer account', body: RegisterBody,
  responses: { 201: { description: 'The new user', schema: UserView } }, errors: ['conflict', 'malformed_json'],
});
usersRoutes.post(`${API}/users/register`, jsonBody(RegisterBody), async (c) => {
  const user = await registerUser(c.get('db'), c.req.valid('json'));
  return c.json(userView(user), 201, { Location: `${new URL(c.req.url).origin}${API}/users/profile/` });
});

describe({
  method: 'post', path: `${API}/token/`, tag: 'Users', summary: 'Obtain an access and refresh token pair', body: TokenBody,
  responses: { 200: { description: 'Token pair', schema: TokenPair } }, errors: ['invalid_credentials', 'permission_denied', 'rate_limited'],
});
usersRoutes.post(`${API}/token`, jsonBody(TokenBody), async (c) => {
  const clientKey = c.req.header('CF-Connecting-IP') ?? 'local';
  const pair = await login(deps(c), c.req.valid('json'), { clientKey, rateLimiter: c.env.LOGIN_RL });
  return c.json(pair, 200, { 'Cache-Control': 'no-store' });
});

describe({
  method: 'post', path: `${API}/token/refresh/`, tag: 'Users', summary: 'Rotate a refresh token', body: RefreshBody,
  description: 'The presented refresh token stops working. Presenting an already-rotated token revokes its whole login family.',
  responses: { 200: { description: 'New token pair', schema: TokenPair } }, errors: ['token_invalid'],
});
usersRoutes.post(`${API}/token/refresh`, jsonBody(RefreshBody), async (c) => {
  const pair = await rotateRefreshToken(deps(c), c.req.valid('json').refresh);
  return c.json(pair, 200, { 'Cache-Control': 'no-store' });
});

describe({
  method: 'post', path: `${API}/users/logout/`, tag: 'Users', summary: 'Revoke a refresh token (and its family)', auth: 'bearer', body: RefreshBody,
  responses: { 204: { description: 'Revoked' } }, errors: ['token_invalid'],
});
usersRoutes.post(`${API}/users/logout`, requireUser, jsonBody(RefreshBody), async (c) => {
  await revokeRefreshToken(deps(c), currentUser(c).id, c.req.valid('json').refresh);
  return c.body(null, 204);
});

describe({
  method: 'get', path: `${API}/users/profile/`, tag: 'Users', summary: 'The caller’s profile', auth: 'bearer',
  responses: { 200: { description: 'User', schema: UserView } }, errors: ['permission_denied'],
});
usersRoutes.get(`${API}/users/profile`, requireUser, async (c) => c.json(userView(await getUser(c.get('db'), currentUser(c).id))));

for (const method of ['patch', 'put'] as const) {
  describe({
    method, path: `${API}/users/profile/`, tag: 'Users', summary: 'Update name and phone (email and role are not changed here)', auth: 'bearer', body: ProfileBody,
    responses: { 200: { description: 'User', schema: UserView } }, errors: ['permission_denied', 'malformed_json'],
  });
}
usersRoutes.on(['PATCH', 'PUT'], `${API}/users/profile`, requireUser, jsonBody(ProfileBody), async (c) =>
  c.json(userView(await updateProfile(c.get('db'), currentUser(c).id, c.req.valid('json')))),
);

describe({
  method: 'post', path: `${API}/users/password/change/`, tag: 'Users', summary: 'Change the password; revokes all refresh tokens', auth: 'bearer', body: PasswordChangeBody,
  responses: { 204: { description: 'Changed' } }, errors: ['permission_denied', 'malformed_json'],
});
usersRoutes.post(`${API}/users/password/change`, requireUser, jsonBody(PasswordChangeBody), async (c) => {
  await changePassword(c.get('db'), currentUser(c).id, c.req.valid('json'));
  return c.body(null, 204);
});
