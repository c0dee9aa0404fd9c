/**
 * fast-check arbitraries for the API fuzzer (test/fuzz.test.ts): values shaped by an OpenAPI (JSON Schema)
 * fragment — mostly plausible ones, so requests get past validation into the services — mixed with hostile
 * ones: wrong types, huge and negative numbers, very long and unicode-tricky strings, missing and extra fields.
 */
import fc from 'fast-check';

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
};

/** Strings that have broken parsers, SQL, LIKE patterns, normalizers and length checks elsewhere. */
const TRICKY_STRINGS = [
  '', ' ', '0', '-1', '-0', '1e400', '9'.repeat(400), '12.345', ' 12.34 ', '0x10', 'NaN', 'Infinity', 'null', 'true',
  "' OR 1=1 --", '%', '_', '%_%'.repeat(30), '\\', '"', '<script>alert(1)</script>', '../../etc/passwd', '%2e%2e%2f',
  '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e\u202d', '\u200b\u200d\ufeff', 'İı', 'ß', 'ﬀ', 'e\u0301'.repeat(200),
  '😀'.repeat(300), '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '\r\n\t', 'x'.repeat(5000), 'y'.repeat(70_000), 'user@example.com', 'ADMIN@EXAMPLE.COM ',
  'a@b', '@', 'us', 'XX', 'usd', 'cod', 'card', 'pending', 'cancelled', '-created_at', 'rating', '2026-13-45', '2026-01-01T00:00:00Z',
];
const HUGE_NUMBERS = [0, -1, 1, -0.5, 0.1 + 0.2, 1e-7, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER];

export const trickyString = fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
export const trickyNumber = fc.oneof(fc.constantFrom(...HUGE_NUMBERS), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** Any JSON value, small and of any type, including deep nesting. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  trickyNumber,
  trickyString,
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)), { maxKeys: 4 }),
  fc.integer({ min: 1, max: 2000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
);

const typeOf = (s: Schema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A value the schema would plausibly accept (best effort: only a generator, not a validator). */
export function plausible(s: Schema = {}): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map(plausible));
  switch (typeOf(s)) {
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? 0, -1e6), max: Math.min(s.maximum ?? 1000, 1e9) });
    case 'number':
      return fc.double({ min: Math.max(s.minimum ?? 0, -1e6), max: Math.min(s.maximum ?? 10_000, 1e9), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(s.items), { maxLength: 4 });
    case 'object':
      return objectOf(s, false);
    case 'string':
      if (s.format === 'email') return fc.emailAddress();
      if (s.pattern && /\\d|\[0-9\]/.test(s.pattern)) return fc.oneof(fc.integer({ min: 0, max: 5000 }).map(String), fc.constantFrom('12.34', '0.01', '1000'));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 60) });
    default:
      return anyJson;
  }
}

/** Hostile or plausible, 1 in 3 hostile. */
export const fieldValue = (s: Schema = {}) => fc.oneof({ weight: 2, arbitrary: plausible(s) }, { weight: 1, arbitrary: anyJson });

/** An object for the schema: each field plausible or hostile, required fields sometimes missing, extra fields sometimes. */
export function objectOf(s: Schema, hostile = true): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const fields = props.map(([name, sub]) =>
    fc.record({ name: fc.constant(name), keep: fc.integer({ min: 0, max: 9 }), value: hostile ? fieldValue(sub) : plausible(sub) }),
  );
  const extras = hostile
    ? fc.dictionary(fc.constantFrom('role', 'is_staff', 'id', '__proto__', 'constructor', 'user_id', 'stock', 'price', 'x'), anyJson, { maxKeys: 3 })
    : fc.constant({});
  return fc.tuple(fc.tuple(...fields), extras).map(([chosen, extra]) => {
    const out: Record<string, unknown> = {};
    for (const { name, keep, value } of chosen) {
      // Required fields are dropped 1 time in 10, optional ones half the time.
      if (required.has(name) ? keep > 0 : keep >= 5) out[name] = value;
    }
    return Object.assign(out, extra);
  });
}
