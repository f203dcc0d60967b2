/**
 * The narrow interfaces the pipeline depends on: the guard, the authentication backends and the
 * verification cache. Implementations live in src/guard, src/backends and src/pipeline/cache.
 */
import type { Attempt } from './attempt.js';
import type { Account, CredentialKind, Refused } from './decision.js';
import type { RefusalReason } from './outcomes.js';

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
  | { status: 'accepted'; account: Account; credential: CredentialKind; credentialVersion: number; impersonator?: string }
  | { status: 'refused'; reason: RefusalReason; detail: string; account: Account | null }
  | { status: 'unknown' } // this backend does not know the login: the chain asks the next one
  | { status: 'unavailable'; detail: string }; // down, slow or garbled: a temporary failure, never a wrong password

export interface AuthBackend {
  readonly name: string;
  /** Verifies a secret for a login (attempt.mode 'authenticate'). */
  authenticate(attempt: Attempt): Promise<BackendResult>;
  /** Looks an account up without a secret (mode 'lookup', LDAP view, Nauthilus no-auth). */
  lookup(login: string): Promise<Account | null>;
  /** The current credential version of an account, to validate cached verifications; null if unknown. */
  credentialVersion(account: Account): Promise<number | null>;
}

export type { Refused };
