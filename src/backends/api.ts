/**
 * The customer-facing backend interface: what your own authentication code implements. Portcullis
 * wraps it (timeouts, circuit breaker, metrics, logs, app passwords, caches) and puts it in the
 * one pipeline, so the guard and the verification cache apply to it like to every other backend.
 *
 * @example
 * ```ts
 * import type { CustomerBackend, BackendFactory } from 'portcullis/backends';
 * export const createBackend: BackendFactory = (options) => ({
 *   async verify(login, password) {
 *     const ok = await myService.check(login, password); // throw if myService is down
 *     return ok ? { ok: true, account: { login, mail: `${login}@example.org` } } : { ok: false };
 *   },
 *   async lookup(login) {
 *     return (await myService.find(login)) ?? null;
 *   },
 * });
 * ```
 */
import type { Protocol } from '../identity/model.js';
import type { Logger } from '../telemetry/logger.js';

/** An account as your backend describes it; only `login` is required. */
export interface BackendAccount {
  /** The login name (served as uid). */
  login: string;
  /** A stable id, ideally a UUID (openCloudUUID, entryUUID, objectGUID). Derived from backend + login when absent. */
  id?: string;
  mail?: string | null;
  /** Further addresses that deliver to this account. */
  aliases?: string[];
  displayName?: string;
  /** Group names. */
  groups?: string[];
  roles?: string[];
  /** Default true. A disabled account never logs in and is not served by look-ups. */
  enabled?: boolean;
  /**
   * Changes whenever the password changes (e.g. a pwdChangedTime as epoch seconds): a cached
   * verification of an older password is then dropped at once. Absent: cached verifications
   * of an old password live at most the verification cache TTL (auth.cacheTtlSeconds).
   */
  passwordVersion?: number;
}

/** What Portcullis knows about the attempt; `signal` fires on timeout or when the client left. */
export interface VerifyContext {
  protocol: Protocol;
  /** The real client's address when a front end knows it; null over LDAP. */
  clientIp: string | null;
  tls: boolean;
  /** The front end that asked: ldap, nauthilus, nginx, opencloud, ... */
  frontEnd: string;
  userAgent?: string;
  signal: AbortSignal;
}

export type VerifyResult =
  | { ok: true; account: BackendAccount }
  /** A wrong password (the default reason) or a disabled account: counted by the guard as a failed guess. */
  | { ok: false; reason?: 'invalid-credentials' | 'account-disabled'; account?: BackendAccount }
  /** This backend does not know the login: the next backend in the chain is asked. */
  | { ok: false; reason: 'unknown-user' };

export interface ListQuery {
  /** Case-insensitive substring on login, mail or display name; absent: everyone. */
  query?: string;
  limit: number;
  signal: AbortSignal;
}

/**
 * Implement `verify`; `lookup` and `list` are optional. **Throw** when you cannot decide (your
 * service is down, slow or answers garbage): Portcullis answers a temporary failure, which is never
 * counted as a wrong password. Never throw for a wrong password: return `{ ok: false }`.
 */
export interface CustomerBackend {
  verify(login: string, password: string, ctx: VerifyContext): Promise<VerifyResult>;
  /** Finds an account without a password (LDAP directory view, recipient checks, cache revalidation). */
  lookup?(login: string, ctx: { signal: AbortSignal }): Promise<BackendAccount | null>;
  /** Lists accounts for the LDAP directory view. */
  list?(query: ListQuery): Promise<BackendAccount[]>;
  /** Called once at shut-down. */
  close?(): Promise<void> | void;
}

/** What a backend factory receives besides its own options. */
export interface BackendEnv {
  /** The backend's name from the configuration. */
  name: string;
  /** A logger that names the backend; never log passwords. */
  log: Logger;
}

/**
 * A customer module exports this (by default under the name `createBackend`): it receives the
 * `options` object of its configuration entry and returns the backend.
 */
export type BackendFactory = (options: Record<string, unknown>, env: BackendEnv) => CustomerBackend | Promise<CustomerBackend>;
