/**
 * A local fake of the HTTP APIs the Worker talks to in tests: Stripe (checkout sessions, refunds) and the email
 * provider (Resend's `POST /emails`). Started by test/global-setup.ts on a free port; the Worker reaches it
 * through STRIPE_API_BASE / EMAIL_API_URL. It records every request (idempotency key, form or JSON body) and
 * honours Stripe-style idempotency. Tests drive it through `/__fake/*` (see test/helpers/fake.ts):
 * read the recorded requests and emails, inject failures (an error answer, with or without Stripe-Should-Retry, or
 * a dropped connection), and move a session to `complete`/`expired`.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const rand = () => randomBytes(8).toString('hex');

export function startFakeProvider(port) {
  const sessions = new Map();
  const idempotent = new Map();
  const requests = [];
  const emails = [];
  const failures = [];

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${rand()}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const stripeError = (res, status, message, extra = {}) => send(res, status, { error: { type: 'invalid_request_error', message, ...extra } });

  function createSession(form) {
    let amount = 0;
    for (let i = 0; form[`line_items[${i}][quantity]`]; i++) {
      amount += Number(form[`line_items[${i}][price_data][unit_amount]`]) * Number(form[`line_items[${i}][quantity]`]);
    }
    const id = `cs_test_${rand()}`;
    const session = {
      id, object: 'checkout.session', mode: form.mode, status: 'open', payment_status: 'unpaid',
      url: `https://checkout.stripe.test/c/pay/${id}`, amount_total: amount,
      currency: form['line_items[0][price_data][currency]'], client_reference_id: form.client_reference_id ?? null,
      metadata: { order_id: form['metadata[order_id]'], order_number: form['metadata[order_number]'] },
      expires_at: Number(form.expires_at), success_url: form.success_url, cancel_url: form.cancel_url, payment_intent: null,
      customer_email: form.customer_email ?? null,
    };
    sessions.set(id, session);
    return session;
  }

  function stripe(method, path, form, res) {
    if (method === 'POST' && path === '/v1/checkout/sessions') return send(res, 200, createSession(form));
    let m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const s = sessions.get(m[1]);
      return s ? send(res, 200, s) : stripeError(res, 404, `No such checkout.session: '${m[1]}'`, { code: 'resource_missing' });
    }
    m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === 'POST' && m) {
      const s = sessions.get(m[1]);
      if (!s) return stripeError(res, 404, 'No such checkout.session', { code: 'resource_missing' });
      if (s.status !== 'open') return stripeError(res, 400, `Only Checkout Sessions with a status in ["open"] can be expired.`);
      s.status = 'expired';
      return send(res, 200, s);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      return send(res, 200, { id: `re_${rand()}`, object: 'refund', status: 'succeeded', payment_intent: form.payment_intent, metadata: {} });
    }
    return stripeError(res, 404, `Unrecognized request URL (${method}: ${path})`);
  }

  function control(method, path, url, body, res) {
    const match = url.searchParams.get('match');
    const pathFilter = url.searchParams.get('path');
    if (method === 'GET' && path === '/__fake/requests') {
      return send(res, 200, requests.filter((r) => (!pathFilter || r.path === pathFilter) && (!match || r.raw.includes(match))));
    }
    if (method === 'GET' && path === '/__fake/emails') {
      const to = url.searchParams.get('to');
      return send(res, 200, emails.filter((e) => !to || e.to.includes(to)));
    }
    if (method === 'POST' && path === '/__fake/fail') {
      const rule = JSON.parse(body);
      failures.push({
        match: rule.match, path: rule.path, times: rule.times ?? 1, status: rule.status ?? 500,
        shouldRetry: rule.shouldRetry ?? 'false', drop: Boolean(rule.drop), error: rule.error,
      });
      return send(res, 200, { ok: true });
    }
    const m = /^\/__fake\/sessions\/([^/]+)$/.exec(path);
    if (method === 'POST' && m) {
      const s = sessions.get(m[1]);
      if (!s) return send(res, 404, { error: 'no such session' });
      Object.assign(s, JSON.parse(body));
      return send(res, 200, s);
    }
    return send(res, 404, { error: 'unknown control route' });
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://fake');
      const path = url.pathname;
      if (path.startsWith('/__fake/')) return control(req.method, path, url, raw, res);

      const key = req.headers['idempotency-key'] ?? null;
      const record = { method: req.method, path, idempotencyKey: key, authorization: req.headers.authorization ?? null, raw, at: Date.now() };
      requests.push(record);
      const rule = failures.find((f) => f.times > 0 && (!f.path || f.path === path) && (!f.match || raw.includes(f.match)));
      if (rule) {
        rule.times--;
        // A lost connection: the socket closes without an answer (a network error for the caller). workerd logs
        // "uncaught exception … Network connection lost" for it even when the caller catches the error: expected.
        if (rule.drop) return res.socket.destroy();
        // Stripe-Should-Retry: false (the default) keeps the client from retrying, so one injected failure is one
        // failed call; 'true' asks for a retry, 'none' leaves the header out (the status decides).
        const headers = rule.shouldRetry === 'none' ? {} : { 'Stripe-Should-Retry': rule.shouldRetry };
        return send(res, rule.status, { error: rule.error ?? { type: 'api_error', message: 'Injected failure of the fake provider' } }, headers);
      }
      // Idempotency is per provider account in real life. Every test file shares this one fake but has its own
      // database, so order ids (and with them the emails' dedupe keys) repeat across files: emails are scoped by
      // recipient too, as two files' accounts would be.
      const scope = path === '/emails' ? `${path} ${key} ${[].concat(JSON.parse(raw || '{}').to ?? []).join(',')}` : `${path} ${key}`;
      if (key) {
        const seen = idempotent.get(scope);
        if (seen && seen.raw !== raw) {
          return stripeError(res, 400, 'Keys for idempotent requests can only be used with the same parameters they were first used with.', { type: 'idempotency_error' });
        }
        if (seen) return send(res, seen.status, seen.body, { 'Idempotent-Replayed': 'true' });
      }
      // Capture the answer so a repeated key replays it exactly.
      const realSend = res.writeHead.bind(res);
      let status = 200;
      res.writeHead = (s, h) => ((status = s), realSend(s, h));
      const realEnd = res.end.bind(res);
      res.end = (data) => {
        if (key && status < 500) idempotent.set(scope, { raw, status, body: JSON.parse(data) });
        return realEnd(data);
      };
      if (req.method === 'POST' && path === '/emails') {
        const email = JSON.parse(raw);
        const to = [].concat(email.to).join(',');
        emails.push({ ...email, to, idempotencyKey: key, authorization: record.authorization });
        return send(res, 200, { id: `em_${rand()}` });
      }
      const form = Object.fromEntries(new URLSearchParams(raw));
      record.form = form;
      return stripe(req.method, path, form, res);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
