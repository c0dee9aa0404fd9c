/**
 * The 1,000 most common passwords (lower-case), compiled offline for this project from the well-known public
 * lists (SecLists' top-1000, the NCSC "100k most used", yearly "worst passwords" lists), most common first.
 * Passwords under 8 characters are listed for completeness even though the length rule refuses them already.
 * A new password is compared case-insensitively against this set.
 *
 * The list is data, not code: src/users/common-passwords.txt (one per line) is copied into the Worker's static
 * assets by scripts/static-assets.mjs and read through the ASSETS binding (in-process, no network) the first time
 * an isolate checks a new password, so its ~4.6 KiB gzip are not in the Worker bundle every request loads. The
 * routes that set a password (register, change, reset) await `load` before validating their body; the zod rule
 * then checks synchronously.
 *
 * Missing list (a deploy bug: static/ not built or the binding removed): the check is skipped, not the request.
 * The other rules (length, not only digits or whitespace, not the email) still apply, the error is logged once
 * per isolate, and every later password-setting request tries to load the list again. Refusing every sign-up and
 * every password reset (account recovery) over it would turn a deploy slip into an outage; the list is a
 * defence in depth on top of PBKDF2 hashing, the login lockout and the rate limits.
 */
import { describeError, logEvent } from '../http/logging';

/** Where the build puts the list inside the static assets; reachable only through this binding (run_worker_first). */
export const COMMON_PASSWORDS_ASSET = '/internal/common-passwords.txt';

export interface CommonPasswords {
  /** Loads the list once per isolate (concurrent callers share one read). Never throws. */
  load(assets: Fetcher | undefined, logLevel?: string): Promise<void>;
  /** True when the password, lower-cased, is on the list; false when the list could not be loaded. */
  has(password: string): boolean;
  /** Entries loaded (0 until loaded or when unavailable). */
  readonly size: number;
}

async function read(assets: Fetcher | undefined): Promise<Set<string>> {
  if (!assets) throw new Error('no ASSETS binding');
  // Any origin: the assets binding serves by path.
  const res = await assets.fetch(new URL(COMMON_PASSWORDS_ASSET, 'https://assets.local'));
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${COMMON_PASSWORDS_ASSET} answered ${res.status}`);
  }
  const list = new Set((await res.text()).split('\n').map((line) => line.trim()).filter(Boolean));
  if (list.size === 0) throw new Error(`${COMMON_PASSWORDS_ASSET} is empty`);
  return list;
}

/** A list with its own load state (the Worker uses the one `COMMON_PASSWORDS`; tests make their own). */
export function commonPasswords(): CommonPasswords {
  let list: ReadonlySet<string> | undefined;
  let loading: Promise<void> | undefined;
  let attempted = false;
  let logged = false;
  return {
    load(assets, logLevel) {
      if (list) return Promise.resolve();
      loading ??= read(assets)
        .then((loaded) => {
          list = loaded;
        })
        .catch((err) => {
          if (!logged) logEvent(logLevel, 'error', 'common_passwords_unavailable', { error: describeError(err) });
          logged = true;
        })
        .finally(() => {
          attempted = true;
          loading = undefined;
        });
      return loading;
    },
    has(password) {
      // A route that sets a password without awaiting load() first is a bug to catch in tests, not to skip.
      if (!list && !attempted) throw new Error('common passwords checked before load(): add the route middleware');
      return list?.has(password.toLowerCase()) ?? false;
    },
    get size() {
      return list?.size ?? 0;
    },
  };
}

/** The isolate's list. */
export const COMMON_PASSWORDS = commonPasswords();
