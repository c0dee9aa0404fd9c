/**
 * Order numbers: `ORD-` + 8 Crockford base32 characters (40 random bits). They are what customers read out on
 * the phone, so the alphabet has no I, L, O or U; they are random rather than sequential so they reveal neither
 * the order volume nor a neighbour's order. Uniqueness is enforced by `orders_number_uq`; checkout retries on the
 * (about one in a trillion) clash.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ORDER_NUMBER_RE = /^ORD-[0-9A-HJKMNP-TV-Z]{8}$/;

/** Eight base32 characters from five random bytes (5 bits each, no modulo bias). */
export function orderNumber(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(5));
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `ORD-${out}`;
}
