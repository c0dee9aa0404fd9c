/**
 * Typed client for the Edge Shop API: fetch-based, ESM, no runtime dependencies. Every operation of the route
 * table is callable by its operationId with typed input and output (types in api.gen.ts, generated from the
 * route table by `npm run client:generate`). Error answers throw `ApiProblem` carrying the typed problem body.
 * After `login()`, the access token is sent to the operations that need it; when it expires (401), the client
 * rotates the refresh token once (one rotation shared by concurrent calls), keeps the new pair and retries.
 */
import { operations, type Operations, type Problem } from './api.gen';

export { operations };
export type { Operations, Problem };

export type OperationId = keyof Operations;
export type Input<K extends OperationId> = Operations[K]['input'];
export type Success<K extends OperationId> = Operations[K]['success'];

export interface Tokens {
  access: string;
  refresh: string;
}

export interface ClientOptions {
  /** Origin of the API, e.g. `https://api.example.com` (paths already start with /api/v1). */
  baseUrl: string;
  /** Defaults to the global `fetch`; pass another (a service binding's, a test's) to route requests elsewhere. */
  fetch?: (request: Request) => Promise<Response>;
  /** Tokens from an earlier session. */
  tokens?: Tokens;
  /** Called whenever the token pair changes (login, rotation, logout: null), e.g. to persist it. */
  onTokens?: (tokens: Tokens | null) => void;
}

/**
 * An error answer. `problem` is the API's RFC 9457 body; it is undefined only when something in between (a
 * proxy, a gateway) answered with something else, which is then in `body`.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(problem ? `${status} ${problem.code}: ${problem.detail}` : `${status}: unexpected answer`);
    this.name = 'ApiProblem';
    this.status = status;
    this.problem = problem;
    this.body = body;
  }
  get code(): Problem['code'] | undefined {
    return this.problem?.code;
  }
}

type Args<K extends OperationId> = Record<string, never> extends Input<K> ? [input?: Input<K>] : [input: Input<K>];

interface AnyInput {
  params?: Record<string, string | number>;
  query?: Record<string, unknown>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

function urlOf(baseUrl: string, path: string, input: AnyInput): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = input.params?.[name];
    if (value === undefined) throw new TypeError(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(value));
  });
  const url = new URL(filled, baseUrl);
  for (const [k, v] of Object.entries(input.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  return url.toString();
}

function bodyOf(type: string | undefined, body: unknown): { body?: BodyInit; contentType?: string } {
  if (!type || body === undefined) return {};
  if (type === 'multipart/form-data') {
    const form = new FormData();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (v !== undefined) form.append(k, v instanceof Blob ? v : String(v));
    return { body: form };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

async function decode(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 304) return undefined;
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) return res.json();
  if (type.startsWith('text/')) return res.text();
  return res.blob();
}

export class ShopClient {
  private tokens: Tokens | null;
  private rotation: Promise<void> | null = null;
  private readonly send: (request: Request) => Promise<Response>;

  constructor(private readonly options: ClientOptions) {
    this.tokens = options.tokens ?? null;
    this.send = options.fetch ?? ((request) => fetch(request));
  }

  /** The current token pair (null when logged out). */
  get session(): Tokens | null {
    return this.tokens;
  }

  /**
   * Calls an operation by its operationId: `call('get_products', { query: { search: 'lamp' } })`. Resolves to the
   * success body (undefined for 204; also undefined for a 304, which only a caller sending If-None-Match gets).
   */
  async call<K extends OperationId>(id: K, ...[input]: Args<K>): Promise<Success<K>> {
    const op = operations[id] as { method: string; path: string; auth: boolean; body?: string };
    const res = await this.fetchWithToken(op, (input ?? {}) as AnyInput);
    const data = await decode(res);
    if (res.ok || res.status === 304) return data as Success<K>;
    throw new ApiProblem(res.status, data);
  }

  /** Obtains a token pair and keeps it for later calls. */
  async login(credentials: Input<'post_token'>['body']): Promise<Tokens> {
    const pair = await this.call('post_token', { body: credentials });
    this.setTokens({ access: pair.access, refresh: pair.refresh });
    return this.tokens!;
  }

  /** Revokes the refresh token (and its family) and forgets the pair. */
  async logout(): Promise<void> {
    if (!this.tokens) return;
    try {
      await this.call('post_users_logout', { body: { refresh: this.tokens.refresh } });
    } finally {
      this.setTokens(null);
    }
  }

  private setTokens(tokens: Tokens | null): void {
    this.tokens = tokens;
    this.options.onTokens?.(tokens);
  }

  private request(op: { method: string; path: string; auth: boolean; body?: string }, input: AnyInput): Request {
    const headers = new Headers();
    for (const [k, v] of Object.entries(input.headers ?? {})) if (v !== undefined) headers.set(k, v);
    if (op.auth && this.tokens) headers.set('Authorization', `Bearer ${this.tokens.access}`);
    const { body, contentType } = bodyOf(op.body, input.body);
    if (contentType) headers.set('Content-Type', contentType);
    return new Request(urlOf(this.options.baseUrl, op.path, input), { method: op.method, headers, body });
  }

  /** Sends the request; on a 401 with a refresh token in hand, rotates the pair once and sends it again. */
  private async fetchWithToken(op: { method: string; path: string; auth: boolean; body?: string }, input: AnyInput): Promise<Response> {
    const sentWith = this.tokens;
    const res = await this.send(this.request(op, input));
    if (res.status !== 401 || !op.auth || !sentWith) return res;
    // Another call may have rotated already while this one was in flight: then only retry.
    if (this.tokens === sentWith) {
      this.rotation ??= this.rotate(sentWith.refresh).finally(() => (this.rotation = null));
      await this.rotation;
    } else if (this.rotation) {
      await this.rotation;
    }
    if (!this.tokens) return res;
    return this.send(this.request(op, input));
  }

  private async rotate(refresh: string): Promise<void> {
    const res = await this.send(this.request(operations.post_token_refresh, { body: { refresh } }));
    if (!res.ok) {
      // The refresh token is spent, expired or revoked: the session is over.
      this.setTokens(null);
      return;
    }
    const pair = (await res.json()) as Success<'post_token_refresh'>;
    this.setTokens({ access: pair.access, refresh: pair.refresh });
  }
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && 'code' in data && 'status' in data;
}

/** `const shop = createClient({ baseUrl })`. */
export const createClient = (options: ClientOptions) => new ShopClient(options);
