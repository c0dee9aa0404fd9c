/**
 * src/payments/stripe-client.ts against the Stripe SDK as the oracle: for the same calls both send the same method,
 * path, form body and Stripe headers (captured at their fetch, nothing leaves the process), for realistic and for
 * generated parameters. Then the retry rule, the timeout and the error mapping, with a scripted fetch.
 */
import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors';
import { createStripeApi, formEncode, paymentError, retryDelayMs, StripeRequestError, type StripeTransport } from '../../src/payments/stripe-client';

const KEY = 'sk_test_unit_0123456789';
const BASE = 'https://stripe.test';

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string | undefined;
}
type Answer = Response | Error | 'hang';

/** A fetch that records each request and plays `answers` in order (then a generic session). */
function scripted(...answers: Answer[]) {
  const seen: Seen[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    seen.push({ method: init?.method ?? 'GET', path: url.pathname + url.search, headers: new Headers(init?.headers), body: init?.body as string | undefined });
    const next = answers.shift() ?? stripeAnswer(200, { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.test/c/1' });
    if (next === 'hang') return new Promise<Response>(() => {});
    if (next instanceof Error) throw next;
    return next;
  };
  return { seen, fetchFn };
}

const stripeAnswer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Request-Id': 'req_unit', ...headers } });

const sdk = (fetchFn: typeof fetch) =>
  new Stripe(KEY, { httpClient: Stripe.createFetchHttpClient(fetchFn), maxNetworkRetries: 0, host: 'stripe.test', port: 443, protocol: 'https' });

function ours(fetchFn: typeof fetch, over: Partial<StripeTransport> = {}) {
  const sleeps: number[] = [];
  const transport: StripeTransport = { fetch: fetchFn, sleep: async (ms) => void sleeps.push(ms), timeoutMs: 1_000, maxRetries: 2, ...over };
  return { api: createStripeApi(KEY, BASE, transport), sleeps };
}

// pay.service's parameters, with the characters a product name or an email can bring.
const sessionParams: Stripe.Checkout.SessionCreateParams = {
  mode: 'payment',
  line_items: [
    { price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'Crème brûlée & co = 100% (fresh)!*', metadata: { sku: 'SKU 1/2+3' } } }, quantity: 2 },
    { price_data: { currency: 'usd', unit_amount: 499, product_data: { name: 'Shipping', metadata: { sku: 'shipping' } } }, quantity: 1 },
  ],
  client_reference_id: '42',
  metadata: { order_id: '42', order_number: 'ORD-20260501-ABC' },
  payment_intent_data: { metadata: { order_id: '42', order_number: 'ORD-20260501-ABC' } },
  customer_email: "o'brien+shop@example.com",
  success_url: 'https://shop.example/checkout/success?session_id={CHECKOUT_SESSION_ID}',
  cancel_url: 'https://shop.example/checkout/cancel',
  expires_at: 1_777_777_777,
  automatic_tax: { enabled: false },
  shipping_address_collection: { allowed_countries: ['US', 'CA'] },
};

describe('stripe-client sends what the SDK sends', () => {
  const cases: { name: string; sdk: (s: Stripe) => Promise<unknown>; ours: (a: ReturnType<typeof createStripeApi>) => Promise<unknown> }[] = [
    {
      name: 'checkout.sessions.create',
      sdk: (s) => s.checkout.sessions.create(sessionParams, { idempotencyKey: 'checkout-ORD-1-1777777777' }),
      ours: (a) => a.checkout.sessions.create(sessionParams, { idempotencyKey: 'checkout-ORD-1-1777777777' }),
    },
    { name: 'checkout.sessions.retrieve', sdk: (s) => s.checkout.sessions.retrieve('cs_test_a1'), ours: (a) => a.checkout.sessions.retrieve('cs_test_a1') },
    {
      name: 'checkout.sessions.expire',
      sdk: (s) => s.checkout.sessions.expire('cs_test_a1', {}, { idempotencyKey: 'expire-1' }),
      ours: (a) => a.checkout.sessions.expire('cs_test_a1', { idempotencyKey: 'expire-1' }),
    },
    {
      name: 'refunds.create',
      sdk: (s) => s.refunds.create({ payment_intent: 'pi_1', metadata: { order_id: '42', order_number: 'ORD-1' } }, { idempotencyKey: 'refund-ORD-1' }),
      ours: (a) => a.refunds.create({ payment_intent: 'pi_1', metadata: { order_id: '42', order_number: 'ORD-1' } }, { idempotencyKey: 'refund-ORD-1' }),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: same method, path, body, auth, API version and idempotency key`, async () => {
      const theirs = scripted();
      const mine = scripted();
      const expected = await c.sdk(sdk(theirs.fetchFn));
      const answer = await c.ours(ours(mine.fetchFn).api);
      expect(answer).toEqual(JSON.parse(JSON.stringify(expected)));
      const [a] = theirs.seen;
      const [b] = mine.seen;
      expect({ method: b.method, path: b.path, body: b.body }).toEqual({ method: a.method, path: a.path, body: a.body });
      for (const h of ['Authorization', 'Stripe-Version', 'Content-Type', 'Idempotency-Key', 'Accept']) expect([h, b.headers.get(h)]).toEqual([h, a.headers.get(h)]);
      expect(b.headers.get('Stripe-Version')).toMatch(/^\d{4}-\d{2}-\d{2}\.\w+$/);
      expect(b.headers.get('Authorization')).toBe(`Bearer ${KEY}`);
    });
  }

  it('the session body is the form Stripe expects (nested keys, arrays by index, booleans)', () => {
    const form = new URLSearchParams(formEncode(sessionParams));
    expect(form.get('metadata[order_id]')).toBe('42');
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('1250');
    expect(form.get('line_items[0][price_data][product_data][name]')).toBe('Crème brûlée & co = 100% (fresh)!*');
    expect(form.get('line_items[1][quantity]')).toBe('1');
    expect(form.get('shipping_address_collection[allowed_countries][1]')).toBe('CA');
    expect(form.get('automatic_tax[enabled]')).toBe('false');
    expect(formEncode({ a: null, b: undefined, c: [], d: new Date(1_700_000_000_500) })).toBe('a=&d=1700000000');
  });

  it('encodes any parameters exactly as the SDK does (generated)', async () => {
    // Keys get a prefix: the SDK reads a parameter object holding one of its option names (timeout, headers...) as options.
    // Printable ASCII (where the escaping rules differ) and any code point.
    const text = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }));
    const key = text(6).map((k) => `p${k}`);
    const leaf = fc.oneof(
      text(12),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
    );
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 3 })),
    }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, tree, { maxKeys: 5 }), async (params) => {
        const theirs = scripted();
        await sdk(theirs.fetchFn).refunds.create(params as Stripe.RefundCreateParams);
        expect(formEncode(params)).toBe(theirs.seen[0].body);
      }),
      { numRuns: 150 },
    );
  });
});

describe('stripe-client retries', () => {
  const session = () => stripeAnswer(200, { id: 'cs_test_ok', object: 'checkout.session' });

  it('retries a 500 under the same key and body, after the SDK backoff', async () => {
    const { seen, fetchFn } = scripted(stripeAnswer(500, { error: { type: 'api_error', message: 'boom' } }), session());
    const { api, sleeps } = ours(fetchFn);
    expect(await api.checkout.sessions.create(sessionParams, { idempotencyKey: 'checkout-k' })).toMatchObject({ id: 'cs_test_ok' });
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.headers.get('Idempotency-Key'))).toEqual(['checkout-k', 'checkout-k']);
    expect(seen[1].body).toBe(seen[0].body);
    expect(sleeps).toEqual([500]);
  });

  it('retries network errors, 409 lock_timeout, 429 and 5xx at most twice, with one generated key when none is given', async () => {
    const lock = stripeAnswer(409, { error: { type: 'invalid_request_error', code: 'lock_timeout', message: 'locked' } });
    const { seen, fetchFn } = scripted(new TypeError('Network connection lost.'), lock, session());
    const { api, sleeps } = ours(fetchFn);
    await api.checkout.sessions.expire('cs_test_1');
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers.get('Idempotency-Key')));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^edge-shop-retry-[0-9a-f-]{36}$/);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeLessThanOrEqual(1_000);

    const limited = scripted(stripeAnswer(429, { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'slow down' } }), stripeAnswer(503, {}), stripeAnswer(502, {}), session());
    const err = await ours(limited.fetchFn).api.refunds.create({ payment_intent: 'pi_1' }, { idempotencyKey: 'refund-1' }).catch((e) => e);
    expect(limited.seen).toHaveLength(3);
    expect(err).toBeInstanceOf(StripeRequestError);
    expect(err).toMatchObject({ status: 502, connection: false });
  });

  it('follows Stripe-Should-Retry both ways, and never retries a plain 4xx', async () => {
    const no = scripted(stripeAnswer(500, { error: { type: 'api_error', message: 'replayed' } }, { 'Stripe-Should-Retry': 'false' }));
    await expect(ours(no.fetchFn).api.checkout.sessions.retrieve('cs_1')).rejects.toMatchObject({ status: 500, message: 'replayed' });
    expect(no.seen).toHaveLength(1);

    const yes = scripted(stripeAnswer(400, { error: { type: 'invalid_request_error', message: 'try again' } }, { 'Stripe-Should-Retry': 'true' }), session());
    expect(await ours(yes.fetchFn).api.checkout.sessions.retrieve('cs_1')).toMatchObject({ id: 'cs_test_ok' });
    expect(yes.seen).toHaveLength(2);

    const bad = scripted(stripeAnswer(400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' } }));
    const err = await ours(bad.fetchFn).api.refunds.create({ payment_intent: 'pi_1' }, { idempotencyKey: 'refund-1' }).catch((e) => e);
    expect(bad.seen).toHaveLength(1);
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'charge_already_refunded', requestId: 'req_unit', connection: false });
  });

  it('gives up after the timeout of each attempt (a hung connection, a stalled body) as a connection error', async () => {
    const stalled = new Response(new ReadableStream({ start() {} }), { status: 200 });
    const { seen, fetchFn } = scripted('hang', stalled, 'hang');
    const err = await ours(fetchFn, { timeoutMs: 30 }).api.checkout.sessions.retrieve('cs_1').catch((e) => e);
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(StripeRequestError);
    expect(err.connection).toBe(true);
    expect(err.message).toContain('no answer within 30 ms');
  });

  it('reads an answer that is not Stripe JSON as an error of that status', async () => {
    const html = () => new Response('<html>Bad gateway</html>', { status: 502 });
    const { fetchFn } = scripted(html(), html(), html());
    await expect(ours(fetchFn).api.checkout.sessions.retrieve('cs_1')).rejects.toMatchObject({ status: 502, message: 'Stripe answered 502' });
    const ok = scripted(new Response('not json', { status: 200 }));
    await expect(ours(ok.fetchFn).api.checkout.sessions.retrieve('cs_1')).rejects.toMatchObject({ status: 200 });
  });

  it('sends GETs without body or key, and escapes ids in the path', async () => {
    const { seen, fetchFn } = scripted();
    await ours(fetchFn).api.checkout.sessions.retrieve('cs_test/../x?y');
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/checkout/sessions/cs_test%2F..%2Fx%3Fy', body: undefined });
    expect(seen[0].headers.get('Idempotency-Key')).toBeNull();
  });

  it('backs off like the SDK: 0.5 s, then 0.5–1 s, capped at 5 s', () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelayMs(1)).toBe(500);
      const second = retryDelayMs(2);
      expect(second >= 500 && second <= 1_000).toBe(true);
      expect(retryDelayMs(10)).toBeLessThanOrEqual(5_000);
    }
  });
});

describe('paymentError', () => {
  it('is a 502 payment_error naming an unreachable provider or quoting Stripe’s refusal', () => {
    const unreachable = paymentError(new StripeRequestError('Stripe could not be reached (x)', null), 'Refunding the payment');
    expect(unreachable).toBeInstanceOf(AppError);
    expect(unreachable).toMatchObject({ code: 'payment_error' });
    expect(unreachable.message).toBe('Refunding the payment failed: the payment provider could not be reached. Nothing was changed; it is safe to try again.');
    const refused = paymentError(new StripeRequestError('No such payment_intent', 404, 'invalid_request_error'), 'Refunding the payment');
    expect(refused.message).toContain('the payment provider refused it (No such payment_intent)');
  });
});
