/**
 * The narrow interfaces the pipeline depends on: the guard, the authentication backends and the
 * verification cache. Implementations live in src/guard, src/backends and src/pipeline/cache.
 */
import type { Attempt } from './attempt.js';
import type { Account, CredentialKind, Refused } from './decision.js';
import type { RefusalReason } from './outcomes.js';
import type { CachedVerification } from './verification-cache.js';

export type GuardVerdict =
  | { action: 'allow' }
  | { action: 'delay'; seconds: number; rule: string }
  | { action: 'refuse'; reason: Extract<RefusalReason, 'banned' | 'rate-limited' | 'blocklisted'>; rule: string; retryAfterSeconds?: number };

/** What happened, as the guard counts it. */
export interface AttemptOutcome {
  success: boolean;
  /** Temporary failures and lookups are not guesses and are never counted against anyone. */
  counted: boolean;
  account: Account | null;
  /** A keyed, truncated HMAC of the wrong secret: counts distinct wrong passwords, never reveals one. */
  secretFingerprint: string | null;
  reason?: RefusalReason;
}

export interface Guard {
  precheck(attempt: Attempt): Promise<GuardVerdict>;
  record(attempt: Attempt, outcome: AttemptOutcome): Promise<void>;
}

export type BackendResult =
  | {
      status: 'accepted';
      account: Account;
      credential: CredentialKind;
      credentialVersion: number;
      impersonator?: string;
      /** Caps how long this verification may be cached (a token's remaining lifetime). */
      maxCacheSeconds?: number;
    }
  | { status: 'refused'; reason: RefusalReason; detail: string; account: Account | null }
  | { status: 'unknown' } // this backend does not know the login: the chain asks the next one
  | { status: 'unavailable'; detail: string }; // down, slow or garbled: a temporary failure, never a wrong password

export interface AuthBackend {
  readonly name: string;
  /** Verifies a secret for a login (attempt.mode 'authenticate'). */
  authenticate(attempt: Attempt): Promise<BackendResult>;
  /** Looks an account up without a secret (mode 'lookup', LDAP view, Nauthilus no-auth). */
  lookup(login: string): Promise<Account | null>;
  /**
   * Re-reads the account behind a cached verification and returns it only if the credential is still
   * the one verified (same account, same credential version, still enabled); null otherwise.
   */
  revalidate(attempt: Attempt, cached: CachedVerification): Promise<Account | null>;
  /**
   * Optional: lists the backend's accounts for the LDAP directory view (upstream backends). Throws
   * BackendUnavailableError (src/backends/errors.ts) when the backend cannot answer; so may lookup.
   */
  search?(query: AccountQuery): Promise<Account[]>;
  /** Optional: releases connections and timers at shut-down. */
  close?(): Promise<void>;
}

export interface AccountQuery {
  /** Case-insensitive substring on login, mail or display name; absent: every account. */
  query?: string;
  limit: number;
}

export type { Refused };
