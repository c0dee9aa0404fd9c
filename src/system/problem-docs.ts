/**
 * The problem-code reference of the docs page: one section per code, `id="problem-<code>"`, which is where every
 * problem's `type` URL points (`<origin>/api/v1/docs#problem-insufficient-stock`, see src/http/problem.ts).
 * Plain server-rendered HTML with no script, so it reads the same whatever interactive UI the page also loads.
 */
import { ERROR_CODES } from '../errors';
import { problemAnchor } from '../http/problem';
import { escapeHtml } from './docs-assets';

interface ProblemDoc {
  /** What the code means. */
  means: string;
  /** What a client should do about it. */
  todo: string;
}

/** Keyed by code; a code without an entry still gets a section (its title), and a test demands an entry. */
export const PROBLEM_DOCS: Record<string, ProblemDoc> = {
  validation_error: {
    means: 'The body, query string, path or a header failed its schema. `errors` lists each field and what is wrong with it.',
    todo: 'Fix the named fields and send the request again; show the messages next to the form fields.',
  },
  malformed_json: {
    means: 'The body is not valid JSON, or not valid UTF-8.',
    todo: 'Send a UTF-8 encoded JSON document (Content-Type: application/json). Do not retry unchanged.',
  },
  not_authenticated: {
    means: 'No access token, or one that is invalid or expired.',
    todo: 'Refresh the access token with POST /api/v1/token/refresh/ (or log in again), then retry.',
  },
  invalid_credentials: {
    means: 'The email or the password is wrong. The answer is the same whether or not the email has an account.',
    todo: 'Ask the user to check both. After repeated failures logins from this address are refused for a while; "forgot password" always works.',
  },
  token_invalid: {
    means: 'A refresh or reset token is unknown, expired, revoked or was already used. Reusing a rotated refresh token revokes its whole login.',
    todo: 'Discard the stored tokens and ask the user to log in again (or request a new reset link).',
  },
  permission_denied: {
    means: 'Authenticated, but not allowed: a customer on an admin route, or a deactivated account.',
    todo: 'Do not retry; hide the action from this user.',
  },
  not_found: {
    means: 'No such route or resource — also another user’s cart line, order or conversation (existence is never revealed).',
    todo: 'Check the URL and the id; refresh the list the id came from.',
  },
  method_not_allowed: {
    means: 'The route exists but does not accept this method. The `Allow` header lists the methods it does accept.',
    todo: 'Use one of the methods in `Allow`.',
  },
  conflict: {
    means: 'A uniqueness clash: the email, category name or slug, or SKU is already taken.',
    todo: 'Choose another value for the field named in `errors`.',
  },
  insufficient_stock: {
    means: 'The cart or checkout asks for more than is in stock. `errors` lists every short line with `available`.',
    todo: 'Lower the quantities to `available` (or remove the lines) and try again.',
  },
  cart_empty: {
    means: 'Checkout was called with an empty cart.',
    todo: 'Add items to the cart first.',
  },
  invalid_status_transition: {
    means: 'The order’s status does not allow this change (for example cancelling a shipped order).',
    todo: 'Reload the order to see its current status; do not retry unchanged.',
  },
  precondition_failed: {
    means: 'An admin write carried an `If-Match` that no longer matches the resource’s `ETag`: someone changed it meanwhile.',
    todo: 'Read the resource again (new `ETag`), re-apply the change, and send it with the new `If-Match`.',
  },
  upgrade_required: {
    means: 'A WebSocket route was called without a WebSocket upgrade (`Upgrade: websocket`).',
    todo: 'Open it with a WebSocket client (`new WebSocket(url, ...)`), not a plain HTTP request.',
  },
  too_many_open_orders: {
    means: 'The customer already holds the maximum number of open unpaid orders.',
    todo: 'Pay or cancel an open order before placing another.',
  },
  payload_too_large: {
    means: 'The body is larger than allowed (1 MiB for JSON, 5 MiB for an image upload).',
    todo: 'Send a smaller body; shrink images before uploading.',
  },
  unsupported_media_type: {
    means: 'An upload that is not JPEG, PNG, WebP or GIF by its bytes, or a JSON route given a body that is not `application/json`.',
    todo: 'Send JSON with Content-Type: application/json, or an image in one of the accepted formats.',
  },
  idempotency_key_reused: {
    means: 'The same `Idempotency-Key` was sent earlier with a different body.',
    todo: 'Use a new key for a new request; reuse a key only to retry the very same request.',
  },
  rate_limited: {
    means: 'Too many requests (or failed logins) from this client. `Retry-After` says how many seconds to wait.',
    todo: 'Wait the `Retry-After` seconds before trying again; do not retry in a loop.',
  },
  internal_error: {
    means: 'Something unexpected failed on the server. It is logged with the `request_id`.',
    todo: 'Retry later; if it persists, report the `request_id`.',
  },
  payment_error: {
    means: 'The payment provider failed or refused the operation; nothing was changed.',
    todo: 'Retry later, or choose another payment method.',
  },
  service_unavailable: {
    means: 'A dependency (the database) does not answer right now.',
    todo: 'Retry later with backoff.',
  },
};

/** `code` spans for the backticked words of the texts above (escaped first, so nothing else is markup). */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The problem reference as an HTML fragment for the docs page. */
export function problemDocsHtml(): string {
  const sections = Object.entries(ERROR_CODES).map(([code, { status, title }]) => {
    const doc = PROBLEM_DOCS[code];
    return `<section id="${problemAnchor(code)}"><h3><code>${code}</code> — ${status} ${escapeHtml(title)}</h3>
<p>${inline(doc?.means ?? title)}</p>${doc ? `<p><strong>What to do:</strong> ${inline(doc.todo)}</p>` : ''}</section>`;
  });
  return `<section id="problems"><h2>Problem types</h2>
<p>Every error is an RFC 9457 problem (<code>application/problem+json</code>) whose <code>type</code> links to its section below and whose <code>code</code> is stable.</p>
${sections.join('\n')}
</section>`;
}
