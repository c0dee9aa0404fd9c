/** A browser-like client of the admin console: keeps cookies, sends the page's Origin and CSRF token. */
import { SELF } from 'cloudflare:test';
import { BASE } from './http';

export class ConsoleClient {
  cookies = new Map<string, string>();
  csrf?: string;

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response) {
    for (const line of res.headers.getAll('Set-Cookie')) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (!value || /Max-Age=0/i.test(line) || /Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string) {
    const res = this.keep(await SELF.fetch(`${BASE}${path}`, { headers: { Cookie: this.cookieHeader() }, redirect: 'manual' }));
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1];
    return { res, text };
  }

  /** Posts a form (url-encoded, or multipart when a value is a File) with the CSRF token unless told otherwise. */
  async post(path: string, fields: Record<string, string | File>, opts: { origin?: string | null; csrf?: string | null } = {}) {
    const headers: Record<string, string> = { Cookie: this.cookieHeader() };
    const origin = opts.origin === undefined ? BASE : opts.origin;
    if (origin !== null) headers.Origin = origin;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const all = { ...(csrf !== null && csrf !== undefined ? { _csrf: csrf } : {}), ...fields };
    let body: BodyInit;
    if (Object.values(all).some((v) => typeof v !== 'string')) {
      const form = new FormData();
      for (const [k, v] of Object.entries(all)) form.append(k, v);
      body = form;
    } else {
      body = new URLSearchParams(all as Record<string, string>);
    }
    const res = this.keep(await SELF.fetch(`${BASE}${path}`, { method: 'POST', headers, body, redirect: 'manual' }));
    return { res, text: await res.text() };
  }

  /** Signs in through the login form; returns the login answer. */
  async login(email: string, password: string) {
    await this.get('/admin/login');
    return this.post('/admin/login', { email, password });
  }
}
