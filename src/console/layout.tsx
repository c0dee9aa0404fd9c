/**
 * The console's shared frame and components. Everything here is Hono JSX, which escapes every string it
 * renders: user-written text (product names, messages, emails) is always shown as text. Nothing in the console
 * uses dangerouslySetInnerHTML; the only raw string is the doctype constant.
 */
import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { raw } from 'hono/html';
import { CONSOLE_BASE, CSRF_FIELD } from './paths';

export const href = (path = '') => `${CONSOLE_BASE}${path}`;

const NAV = [
  ['dashboard', '/', 'Dashboard'],
  ['products', '/products', 'Products'],
  ['categories', '/categories', 'Categories'],
  ['orders', '/orders', 'Orders'],
  ['users', '/users', 'Customers & staff'],
  ['conversations', '/conversations', 'Messages'],
] as const;
export type Section = (typeof NAV)[number][0];

interface PageProps {
  title: string;
  section?: Section;
  user?: { name: string; csrf: string };
  narrow?: boolean;
  /** ES modules this page needs besides console.js (served from /admin/assets/). */
  scripts?: string[];
}

export const Page: FC<PropsWithChildren<PageProps>> = ({ title, section, user, narrow, scripts = [], children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Shop admin`}</title>
        <link rel="stylesheet" href={href('/assets/console.css')} />
        <script type="module" src={href('/assets/console.js')}></script>
        {scripts.map((s) => (
          <script type="module" src={href(`/assets/${s}`)}></script>
        ))}
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        {user && (
          <header class="top">
            <div class="top-in">
              <a class="brand" href={href('/')}>
                Shop admin
              </a>
              <nav class="main" aria-label="Sections">
                {NAV.map(([key, path, label]) => (
                  <a href={href(path)} aria-current={section === key ? 'page' : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
              <div class="who">
                <span>{user.name}</span>
                <form method="post" action={href('/logout')}>
                  <Csrf token={user.csrf} />
                  <button type="submit">Sign out</button>
                </form>
              </div>
            </div>
          </header>
        )}
        <main id="content" class={narrow ? 'narrow' : undefined}>
          {children}
        </main>
      </body>
    </html>
  </>
);

export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name={CSRF_FIELD} value={token} />;

/** A form that changes state: POST, same-origin action, the session's CSRF token. */
export const PostForm: FC<PropsWithChildren<{ action: string; csrf: string; confirm?: string; multipart?: boolean; class?: string; id?: string }>> = (p) => (
  <form
    method="post"
    action={p.action}
    data-confirm={p.confirm}
    enctype={p.multipart ? 'multipart/form-data' : undefined}
    class={p.class}
    id={p.id}
  >
    <Csrf token={p.csrf} />
    {p.children}
  </form>
);

export type FieldErrors = Record<string, string | undefined>;

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  /** The control; rendered with an id of `f-<name>` by the caller. */
  children: Child;
}

/** Label, control, hint and the validation message next to the field (tied with aria-describedby). */
export const Field: FC<FieldProps> = ({ name, label, errors, hint, children }) => {
  const error = errors?.[name];
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {children}
      {hint && <div class="hint">{hint}</div>}
      {error && (
        <div class="err" id={`e-${name}`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
};

/** Attributes of a control rendered inside <Field>. */
export const control = (name: string, errors?: FieldErrors) => ({
  id: `f-${name}`,
  name,
  'aria-invalid': errors?.[name] ? 'true' : undefined,
  'aria-describedby': errors?.[name] ? `e-${name}` : undefined,
});

export const Flash: FC<{ message?: string; kind?: 'ok' | 'bad' }> = ({ message, kind = 'ok' }) =>
  message ? (
    <div class={`flash ${kind}`} role={kind === 'bad' ? 'alert' : 'status'}>
      {message}
    </div>
  ) : null;

export const Empty: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <div class="empty">
    <strong>{title}</strong>
    {children}
  </div>
);

export const Badge: FC<{ kind?: string; children: Child }> = ({ kind, children }) => <span class={kind ? `badge ${kind}` : 'badge'}>{children}</span>;

/** Previous/next links that keep the current filters. */
export const Pager: FC<{ path: string; query: Record<string, string | undefined>; page: number; pageSize: number; count: number }> = (p) => {
  const pages = Math.max(1, Math.ceil(p.count / p.pageSize));
  const link = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(p.query)) if (v) q.set(k, v);
    q.set('page', String(page));
    return `${href(p.path)}?${q}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      <span>
        {p.count} {p.count === 1 ? 'result' : 'results'} · page {p.page} of {pages}
      </span>
      <span class="actions">
        {p.page > 1 && (
          <a class="btn secondary small" href={link(p.page - 1)}>
            ← Previous
          </a>
        )}
        {p.page < pages && (
          <a class="btn secondary small" href={link(p.page + 1)}>
            Next →
          </a>
        )}
      </span>
    </nav>
  );
};

/** The page shown for a refused or failed request. */
export const ErrorPage: FC<{ title: string; message: string; signedIn?: boolean }> = ({ title, message, signedIn }) => (
  <Page title={title} narrow>
    <div class="card">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={href(signedIn === false ? '/login' : '/')}>{signedIn === false ? 'Sign in' : 'Back to the console'}</a>
      </p>
    </div>
  </Page>
);
