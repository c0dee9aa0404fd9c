import { describe, expect, it } from 'vitest';
import { api, expectProblem, json } from './helpers/http';

describe('system routes', () => {
  it('answers the API root with links', async () => {
    const res = await api('GET', '/api/v1/');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.name).toBeTruthy();
    expect(body.links.products).toBe('https://api.test/api/v1/products/');
  });

  it('reports health with the D1 check', async () => {
    const res = await api('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', db: 'ok' });
  });

  it('answers unknown routes with a 404 problem', async () => {
    await expectProblem(await api('GET', '/api/v1/nope/'), 404, 'not_found');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await api('DELETE', '/api/v1/health/');
    const body = await expectProblem(res, 405, 'method_not_allowed');
    expect(body.detail).toContain('DELETE');
    expect(res.headers.get('Allow')).toContain('GET');
  });
});
