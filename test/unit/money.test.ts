/** Money helpers: integer cents inside, two-decimal strings outside, never floats. */
import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from '../../src/lib/money';

describe('formatMoney', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [1250, '12.50'],
    [129999, '1299.99'],
    [-150, '-1.50'],
    [999999999999, '9999999999.99'],
  ])('%i cents → %s', (cents, text) => expect(formatMoney(cents)).toBe(text));
});

describe('parseMoney', () => {
  it.each([
    ['12.5', 1250],
    ['7', 700],
    ['0.01', 1],
    ['1299.99', 129999],
    [' 3.10 ', 310],
    ['0', 0],
    ['9999999999.99', 999999999999],
  ])('%s → %i cents', (text, cents) => expect(parseMoney(text)).toBe(cents));

  it.each(['', '1.234', '-1', '1e3', 'abc', '1,50', '.5', '5.', '0x10', 'NaN', '12345678901'])('refuses %j', (text) => {
    expect(parseMoney(text)).toBeNull();
  });

  it('round-trips without float drift', () => {
    for (const text of ['0.10', '0.20', '0.30', '19.99', '1000000.01']) expect(formatMoney(parseMoney(text)!)).toBe(text);
  });
});
