/** What the pipeline answers: accepted with the account's attributes, or refused with why. */
import type { RefusalReason } from './outcomes.js';

/** The account as every front end serves it (LDAP entry, auth API attributes, OpenCloud subject). */
export interface Account {
  kind: 'user' | 'service';
  /** Stable UUID. */
  id: string;
  /** The login name (uid). */
  uid: string;
  mail: string | null;
  aliases: string[];
  displayName: string;
  groups: string[];
  roles: string[];
  /** Which backend answered: local, or a configured upstream's name. */
  backend: string;
}

export type CredentialKind = 'password' | 'app-password' | 'token' | 'master' | 'service' | 'none';

export interface Accepted {
  ok: true;
  decisionId: string;
  account: Account;
  credential: CredentialKind;
  /** The verification came from the cache: no hash was computed. */
  cached: boolean;
  /** Seconds the front end should hold the answer (the guard's delay for an account under attack). */
  delaySeconds: number;
  /** For master logins: the service account that logged in on the user's behalf. */
  impersonator?: string;
}

export interface Refused {
  ok: false;
  decisionId: string;
  reason: RefusalReason;
  /** The guard rule that refused, e.g. ip-bruteforce; absent for a plain wrong password. */
  rule?: string;
  delaySeconds: number;
  /** For bans: seconds until it expires. */
  retryAfterSeconds?: number;
  /** Internal detail for logs only: never shown to clients. */
  detail?: string;
}

export type Decision = Accepted | Refused;
