/**
 * The console's shared frame and components, written as hono/html tagged templates: every interpolated value is
 * escaped (& < > " ') by the same function Hono's JSX used, so user-written text (product names, messages,
 * emails) is always shown as text. `raw()` wraps only markup this module builds from its own constants.
 * Templates instead of JSX keep the Worker bundle small (issue 12): no JSX runtime, and markup ships as text
 * rather than as nested jsx() calls.
 */
import { html as honoHtml, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CONSOLE_BASE, CSRF_FIELD } from './paths';

export type Html = HtmlEscapedString;
/** What a template may interpolate: text (escaped), numbers, markup, lists of those; '' / undefined / false render nothing. */
export type Part = Html | string | number | false | undefined | Part[];

const flattened = new WeakMap<TemplateStringsArray, TemplateStringsArray>();

/**
 * hono/html's html`` with each line break of the template (and the indentation after it) removed, so a page can
 * be laid out over lines here and still render as JSX did, with nothing between tags. A space that matters is
 * written on one line. The stripped copy is made once per template.
 */
export function html(s: TemplateStringsArray, ...values: unknown[]): Html {
  let t = flattened.get(s);
  if (!t) flattened.set(s, (t = Object.assign(s.map((x) => x.replace(/\n\s*/g, '')), { raw: s.raw })));
  return honoHtml(t, ...values) as Html;
}

export const href = (path = '') => `${CONSOLE_BASE}${path}`;

/** ` name="value"`, or nothing for undefined (JSX left such attributes out). Names are always our constants. */
export const attr = (name: string, value: string | undefined) => (value === undefined ? '' : html` ${raw(name)}="${value}"`);
/** A boolean or fixed attribute (our own constant text), written when on. */
export const attrIf = (on: boolean, text: string) => (on ? raw(` ${text}`) : '');

const NAV = [
  ['dashboard', '/', 'Dashboard'],
  ['products', '/products', 'Products'],
  ['categories', '/categories', 'Categories'],
  ['orders', '/orders', 'Orders'],
  ['users', '/users', 'Customers & staff'],
  ['conversations', '/conversations', 'Messages'],
] as const;
export type Section = (typeof NAV)[number][0];

interface PageOptions {
  title: string;
  section?: Section;
  user?: { name: string; csrf: string };
  narrow?: boolean;
  /** An ES module this page needs besides console.js (served from /admin/assets/). */
  script?: string;
}

export const frame = (o: PageOptions, body: Part) => html`<!doctype html><html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Shop admin</title>
<link rel="stylesheet" href="${href('/assets/console.css')}">
<script type="module" src="${href('/assets/console.js')}"></script>
${o.script && html`<script type="module" src="${href(`/assets/${o.script}`)}"></script>`}
</head><body><a class="skip" href="#content">Skip to content</a>
${o.user &&
html`<header class="top"><div class="top-in"><a class="brand" href="${href('/')}">Shop admin</a>
<nav class="main" aria-label="Sections">
${NAV.map(([key, path, label]) => html`<a href="${href(path)}"${attrIf(o.section === key, 'aria-current="page"')}>${label}</a>`)}
</nav>
<div class="who"><span>${o.user.name}</span>${postForm(href('/logout'), o.user.csrf, html`<button type="submit">Sign out</button>`)}</div>
</div></header>`}
<main id="content"${attrIf(Boolean(o.narrow), 'class="narrow"')}>${body}</main></body></html>`;

export const csrfInput = (token: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

/** A form that changes state: POST, same-origin action, the session's CSRF token. */
export const postForm = (action: string, csrf: string, body: Part, o: { confirm?: string; multipart?: boolean; class?: string; id?: string } = {}) =>
  html`<form method="post" action="${action}"${attr('data-confirm', o.confirm)}${attrIf(Boolean(o.multipart), 'enctype="multipart/form-data"')}${attr('class', o.class)}${attr('id', o.id)}>${csrfInput(csrf)}${body}</form>`;

export type FieldErrors = Record<string, string | undefined>;

/** Label, control, hint and the validation message next to the field (tied with aria-describedby). */
export function field(name: string, label: string, control: Html, errors?: FieldErrors, hint?: string) {
  const error = errors?.[name];
  return html`<div class="${error ? 'field invalid' : 'field'}"><label for="f-${name}">${label}</label>${control}
${hint && html`<div class="hint">${hint}</div>`}
${error && html`<div class="err" id="e-${name}" role="alert">${error}</div>`}</div>`;
}

/** The first attributes of a control rendered inside field(): its id, name and error wiring. */
export const control = (name: string, errors?: FieldErrors) =>
  html`id="f-${name}" name="${name}"${errors?.[name] ? html` aria-invalid="true" aria-describedby="e-${name}"` : ''}`;

/** <option>s with the current value selected (the empty "any" option is never marked). */
export const options = (list: readonly (readonly [string, string])[], current: string | undefined) =>
  list.map(([value, label]) => html`<option value="${value}"${attrIf(value !== '' && value === current, 'selected')}>${label}</option>`);

export const flash = (message?: string, kind: 'ok' | 'bad' = 'ok') =>
  message && html`<div class="flash ${kind}" role="${kind === 'bad' ? 'alert' : 'status'}">${message}</div>`;

/** An empty state: what is missing, and what to do about it. */
export const empty = (title: string, body: Part) => html`<div class="empty"><strong>${title}</strong><p>${body}</p></div>`;

export const badge = (text: string, kind?: string) => html`<span class="${kind ? `badge ${kind}` : 'badge'}">${text}</span>`;

/** A page's heading block: an optional back link, the title, a subtitle, and actions on the right. */
export const head = (title: Part, sub?: Part, back?: readonly [string, string], actions?: Part) => html`<div class="head"><div>
${back && html`<p class="sub"><a href="${href(back[0])}">← ${back[1]}</a></p>`}
<h1>${title}</h1>${sub !== undefined && html`<p class="sub">${sub}</p>`}</div>${actions}</div>`;

/**
 * A GET form of filters over a list (the search box, then selects), Apply, and Clear when something is set.
 * The same markup on every list page, so console.css and the e2e test meet one shape.
 */
export const filters = (
  path: string,
  search: { label: string; value?: string; placeholder?: string },
  selects: { name: string; label: string; options: readonly (readonly [string, string])[]; value?: string }[],
  filtered: boolean,
) => html`<form class="filters card" method="get" action="${href(path)}" role="search">
<div><label for="q-search">${search.label}</label><input id="q-search" type="search" name="search" value="${search.value ?? ''}"${attr('placeholder', search.placeholder)}></div>
${selects.map((s) => html`<div><label for="q-${s.name}">${s.label}</label><select id="q-${s.name}" name="${s.name}">${options(s.options, s.value)}</select></div>`)}
<button type="submit" class="secondary">Apply</button>
${filtered && html`<a class="btn secondary" href="${href(path)}">Clear</a>`}</form>`;

/** Previous/next links that keep the current filters. */
export function pager(path: string, query: Record<string, string | undefined>, page: number, pageSize: number, count: number) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const link = (to: number, text: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    q.set('page', String(to));
    return html`<a class="btn secondary small" href="${href(path)}?${q.toString()}">${text}</a>`;
  };
  return html`<nav class="pager" aria-label="Pages"><span>${count} ${count === 1 ? 'result' : 'results'} · page ${page} of ${pages}</span>
<span class="actions">${page > 1 && link(page - 1, '← Previous')}${page < pages && link(page + 1, 'Next →')}</span></nav>`;
}

/** The page shown for a refused or failed request. */
export const errorPage = (title: string, message: string) =>
  frame({ title, narrow: true }, html`<div class="card"><h1>${title}</h1><p>${message}</p><p><a href="${href('/')}">Back to the console</a></p></div>`);
