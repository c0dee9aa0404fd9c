/**
 * The README walk-through as data, for `npm run docs:check`: the shell blocks between the
 * `<!-- walkthrough:start -->` and `<!-- walkthrough:end -->` markers, each with the answer the README shows
 * right after it (a ```json block), and the comparison of a shown answer with a real one.
 */

const FENCE_RE = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;

/** Keys whose values differ from run to run (ids, secrets, clocks): shown in the README, never compared. */
export const VOLATILE_KEYS = new Set(['id', 'access', 'refresh', 'request_id', 'created_at', 'updated_at', 'date_joined', 'at', 'number', 'url', 'image', 'next', 'previous', 'session_id', 'checkout_url', 'expires_at', 'order_id', 'product_id', 'date']);

/**
 * The steps of the walk-through: `{ index, line, code, expected? }`. A shell block (```sh / ```bash / ```shell) is
 * a step; a ```json block right after it is that step's shown answer. The block that starts the server
 * (`npm run dev`) is left to the checker, which starts its own on throwaway state.
 */
export function walkthroughSteps(markdown) {
  const start = markdown.indexOf('<!-- walkthrough:start -->');
  const end = markdown.indexOf('<!-- walkthrough:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no <!-- walkthrough:start --> … <!-- walkthrough:end --> section');
  const section = markdown.slice(start, end);
  const offsetLine = markdown.slice(0, start).split('\n').length - 1;
  const steps = [];
  for (const m of section.matchAll(FENCE_RE)) {
    const [, lang, body] = m;
    const line = offsetLine + section.slice(0, m.index).split('\n').length;
    if (['sh', 'bash', 'shell'].includes(lang)) {
      if (/^\s*npm (install|ci)\b.*npm run dev|^\s*npm run dev\b/m.test(body)) continue;
      steps.push({ index: steps.length + 1, line, code: body });
    } else if (lang === 'json' && steps.length && steps.at(-1).expected === undefined) {
      steps.at(-1).expected = body;
    }
  }
  return steps;
}

/** "…" in a shown string stands for any text: `"ORD-…"` matches any order number. */
function stringMatches(shown, actual) {
  if (typeof actual !== 'string') return false;
  if (!shown.includes('…')) return shown === actual;
  const re = new RegExp(`^${shown.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
  return re.test(actual);
}

/**
 * Where a shown answer and a real one differ, as `path: shown X, got Y` lines (empty when they agree). The shown
 * answer is a subset: its keys must be there with equal values (volatile keys only need to exist), arrays are
 * compared element by element from the start (the real one may be longer), and "…" in a string is a wildcard.
 */
export function differences(shown, actual, path = '$') {
  if (typeof shown === 'string') return stringMatches(shown, actual) ? [] : [`${path}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path}: shown an array, got ${JSON.stringify(actual)}`];
    if (actual.length < shown.length) return [`${path}: shown ${shown.length} items, got ${actual.length}`];
    return shown.flatMap((item, i) => differences(item, actual[i], `${path}[${i}]`));
  }
  if (shown && typeof shown === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: shown an object, got ${JSON.stringify(actual)}`];
    return Object.entries(shown).flatMap(([key, value]) => {
      if (!(key in actual)) return [`${path}.${key}: missing`];
      return VOLATILE_KEYS.has(key) ? [] : differences(value, actual[key], `${path}.${key}`);
    });
  }
  return Object.is(shown, actual) ? [] : [`${path}: shown ${JSON.stringify(shown)}, got ${JSON.stringify(actual)}`];
}

/** The JSON a step printed: the whole output, or else its last line that parses. */
export function parseOutput(output) {
  const text = output.trim();
  try {
    return JSON.parse(text);
  } catch {
    for (const line of text.split('\n').reverse()) {
      try {
        return JSON.parse(line);
      } catch {
        // not this line
      }
    }
  }
  return undefined;
}
