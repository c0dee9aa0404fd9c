/**
 * The two kinds of human text the API stores, as zod helpers every request schema uses (one rule, one place):
 *
 * - `nameText`: names shown as one line (user names, product and category names, SKUs, image alt text,
 *   addresses). NFC-normalised, trimmed, and refusing control characters (C0, DEL, C1), bidirectional
 *   embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069: they make "gpj.exe" look like "exe.jpg") and
 *   invisible zero-width characters and line/paragraph separators (names that look equal but are not).
 * - `freeText`: descriptions, review comments, messages. NFC-normalised, CRLF/CR turned into LF, and refusing
 *   every control character except newline and tab (NUL, ANSI escape sequences, …).
 *
 * Each failure is an issue on the field, so the 400 names it. `maxChars` bounds either (or any string) with the
 * one message every text field gives.
 */
import * as z from 'zod/mini';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NL_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u180e\u2028\u2029]/;

export const CONTROL_MESSAGE = 'must not contain control characters';
export const FREE_TEXT_CONTROL_MESSAGE = 'must not contain control characters other than newline and tab';
export const BIDI_MESSAGE = 'must not contain bidirectional override or isolate characters';
export const INVISIBLE_MESSAGE = 'must not contain zero-width or line-separator characters';

type StringParams = Parameters<typeof z.string>[0];

/** The length bound of a text field, with the message all of them give: "must be at most 200 characters". */
export const maxChars = (max: number) => z.maxLength(max, `must be at most ${max} characters`);

/** True when `s` is acceptable as a one-line name (after NFC). Exported for non-zod callers and tests. */
export const isSafeName = (s: string) => !CONTROL.test(s) && !BIDI_CONTROL.test(s) && !INVISIBLE.test(s);

/** A one-line name: trimmed, NFC, no controls / bidi overrides / zero-width characters. Add bounds with `.check(...)`. */
export const nameText = (params?: StringParams) =>
  z.string(params).check(
    z.normalize('NFC'),
    z.trim(),
    z.refine((s) => !CONTROL.test(s), CONTROL_MESSAGE),
    z.refine((s) => !BIDI_CONTROL.test(s), BIDI_MESSAGE),
    z.refine((s) => !INVISIBLE.test(s), INVISIBLE_MESSAGE),
  );

/** Multi-line free text: NFC, line breaks as LF, no control characters but newline and tab. Add bounds with `.check(...)`. */
export const freeText = (params?: StringParams) =>
  z.string(params).check(
    z.normalize('NFC'),
    z.overwrite((s) => s.replace(/\r\n?/g, '\n')),
    z.refine((s) => !CONTROL_EXCEPT_NL_TAB.test(s), FREE_TEXT_CONTROL_MESSAGE),
  );
