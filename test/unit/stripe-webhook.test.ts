/**
 * verifyStripeEvent (WebCrypto) against the Stripe SDK: headers the SDK signs are accepted; for every variant of
 * header, body, secret and age below, ours accepts exactly when the SDK's `constructEventAsync` does.
 */
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, verifyStripeEvent } from '../../src/payments/stripe-client';

const SECRET = 'whsec_unit_0123456789abcdef';
const NOW_MS = 1_777_777_777_250;
const NOW = Math.floor(NOW_MS / 1000);
const event = { id: 'evt_unit_1', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_1', metadata: { order_id: '7' } } } };
const payload = JSON.stringify(event);

const sign = (opts: { payload?: string; secret?: string; timestamp?: number; scheme?: string } = {}) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload: opts.payload ?? payload, secret: opts.secret ?? SECRET, timestamp: opts.timestamp ?? NOW, scheme: opts.scheme });
const v1Of = (header: string) => /v1=([0-9a-f]+)/.exec(header)![1];

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const sdkAccepts = (body: string, header: string | undefined, secret: string) =>
  Stripe.webhooks.constructEventAsync(body, header as string, secret, SIGNATURE_TOLERANCE_SECONDS, cryptoProvider, NOW_MS).then(
    () => true,
    () => false,
  );

describe('verifyStripeEvent', () => {
  it('accepts what the SDK signs and returns the event', async () => {
    const header = await sign();
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyStripeEvent(payload, header, SECRET, NOW_MS)).toEqual(event);
  });

  it('agrees with the SDK on every variant: several v1, other schemes, tampering, wrong secret, age, malformed headers', async () => {
    const good = await sign();
    const sig = v1Of(good);
    const other = v1Of(await sign({ secret: 'whsec_other' }));
    const cases: { name: string; body?: string; header: string | undefined; secret?: string; accept: boolean }[] = [
      { name: 'signed', header: good, accept: true },
      { name: 'a second v1 matches (secret being rolled)', header: `t=${NOW},v1=${other},v1=${sig}`, accept: true },
      { name: 'v0 and unknown schemes beside it', header: `t=${NOW},v0=${other},v1=${sig},x=1`, accept: true },
      { name: 'timestamp last', header: `v1=${sig},t=${NOW}`, accept: true },
      { name: 'exactly at the tolerance', header: await sign({ timestamp: NOW - 300 }), accept: true },
      { name: 'signed a little in the future (clock skew)', header: await sign({ timestamp: NOW + 30 }), accept: true },
      { name: 'stale by one second', header: await sign({ timestamp: NOW - 301 }), accept: false },
      { name: 'tampered body', body: payload.replace('"7"', '"8"'), header: good, accept: false },
      { name: 'one byte appended', body: `${payload} `, header: good, accept: false },
      { name: 'wrong secret', header: good, secret: 'whsec_wrong', accept: false },
      { name: 'only other secrets', header: `t=${NOW},v1=${other}`, accept: false },
      { name: 'signature under v0 only', header: await sign({ scheme: 'v0' }), accept: false },
      { name: 'timestamp changed', header: good.replace(`t=${NOW}`, `t=${NOW - 1}`), accept: false },
      { name: 'no timestamp', header: `v1=${sig}`, accept: false },
      { name: 'no signature', header: `t=${NOW}`, accept: false },
      { name: 'uppercase hex', header: `t=${NOW},v1=${sig.toUpperCase()}`, accept: false },
      { name: 'truncated signature', header: `t=${NOW},v1=${sig.slice(0, 63)}`, accept: false },
      { name: 'garbage', header: 'garbage', accept: false },
      { name: 'empty', header: '', accept: false },
      { name: 'missing', header: undefined, accept: false },
      { name: 'blank secret', header: good, secret: '  ', accept: false },
      { name: 'empty body', body: '', header: await sign({ payload: '' }), accept: false },
      { name: 'signed but not JSON', body: 'not json', header: await sign({ payload: 'not json' }), accept: false },
    ];
    for (const c of cases) {
      const body = c.body ?? payload;
      const secret = c.secret ?? SECRET;
      const ours = (await verifyStripeEvent(body, c.header, secret, NOW_MS)) !== null;
      expect([c.name, ours]).toEqual([c.name, c.accept]);
      expect([c.name, await sdkAccepts(body, c.header, secret)]).toEqual([c.name, c.accept]);
    }
  });
});
