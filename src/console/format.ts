/** Money and dates for people: "$1,299.99", "30 Nov 2026, 14:05 UTC". Display only: money stays cents inside. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(cents: number, currency = 'USD'): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  // Cents → units for display only; every sum was done on integers before this.
  return f.format(cents / 100);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export const when = (iso: string) => `${dateTime.format(new Date(iso))} UTC`;
export const day = (iso: string) => dateOnly.format(new Date(iso));

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};
