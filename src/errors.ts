/**
 * Domain errors and the stable `code` table of API.md. Domain code throws `AppError`; the one problem+json
 * handler (src/http/problem.ts) turns it into an answer. No Hono import here: services stay HTTP-free.
 */
export const ERROR_CODES = {
  validation_error: { status: 400, title: 'Validation failed' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  not_authenticated: { status: 401, title: 'Not authenticated' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  token_invalid: { status: 401, title: 'Token invalid' },
  permission_denied: { status: 403, title: 'Permission denied' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  insufficient_stock: { status: 409, title: 'Insufficient stock' },
  cart_empty: { status: 409, title: 'Cart is empty' },
  invalid_status_transition: { status: 409, title: 'Invalid status transition' },
  too_many_open_orders: { status: 409, title: 'Too many open orders' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused' },
  upgrade_required: { status: 426, title: 'Upgrade required' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  payment_error: { status: 502, title: 'Payment provider error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One field problem, as listed in a problem's `errors`. */
export interface FieldError {
  field: string;
  message: string;
  [extra: string]: unknown;
}

export interface AppErrorExtras {
  errors?: FieldError[];
  /** Response headers the problem needs (`Allow`, `Retry-After`). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, detail?: string, extras: AppErrorExtras = {}) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.errors = extras.errors;
    this.headers = extras.headers;
  }
}

/** Shorthand for the most common domain error. */
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found.`);
