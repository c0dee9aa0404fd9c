/**
 * URL slugs: lower-case ASCII letters and digits separated by single hyphens ("Café Crème 2" → "cafe-creme-2"),
 * as Django's `slugify` makes them, so slugs of migrated catalogs keep their shape.
 */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 100;

/** The slug of `text`; '' when nothing ASCII is left (callers pick a fallback). */
export function slugify(text: string, max = SLUG_MAX): string {
  const slug = text
    // Decompose accented letters so "é" keeps its "e" once the combining mark is dropped.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Cut at the limit without leaving a trailing hyphen.
  return slug.slice(0, max).replace(/-+$/, '');
}

/** A short random lower-case suffix, for slugs that cannot be derived or are already taken. */
export function slugSuffix(length = 6): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
