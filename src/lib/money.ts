/**
 * Money is integer minor units (cents) inside and a 2-decimal string outside. No floats anywhere: parsing and
 * formatting work on digits.
 */
const MONEY_RE = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** 129999 → "1299.99" */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${units}.${rest.toString().padStart(2, '0')}`;
}

/** "1299.99" | "12.5" | "7" → cents, or null when the text is not a non-negative amount with ≤ 2 decimals. */
export function parseMoney(text: string): number | null {
  const m = MONEY_RE.exec(text.trim());
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(frac);
}
