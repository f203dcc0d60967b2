/**
 * The store of the web front end: sessions, the per-account recent-login log and admin API tokens.
 * Kept apart from IdentityStore (identities are the single source of truth; these are not), but in
 * the same database so that several nodes share sessions.
 */
import type { IdentityStore } from './store.js';
import { SqlStore } from './sql/sql-store.js';
import { SqlWebStore } from './sql/web-store.js';

export interface WebSession {
  /** SHA-256 (hex) of the cookie value. */
  id: string;
  userId: string;
  csrf: string;
  credentialVersion: number;
  passwordChangedAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end; idle expiry is lastSeenAt + idle timeout. */
  expiresAt: Date;
  clientIp: string | null;
  userAgent: string | null;
}

export interface LoginRecord {
  id: number;
  userId: string;
  at: Date;
  protocol: string;
  frontEnd: string;
  clientIp: string | null;
  success: boolean;
  /** The credential kind when accepted (password, app-password, token), the refusal reason otherwise. */
  detail: string;
}

export interface AdminToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface WebStore {
  createSession(session: WebSession): Promise<void>;
  getSession(id: string): Promise<WebSession | null>;
  /** Idle refresh, or a new credential version after the session's own credential change. */
  touchSession(id: string, patch: { lastSeenAt?: Date; credentialVersion?: number; passwordChangedAt?: Date | null }): Promise<void>;
  /** A user's sessions, newest first (the self-service session list). */
  listUserSessions(userId: string): Promise<WebSession[]>;
  deleteSession(id: string): Promise<void>;
  /** All of a user's sessions but `except` (password change, disable). Returns how many. */
  deleteUserSessions(userId: string, except?: string): Promise<number>;
  /** Sessions past their absolute end or idle since `idleBefore`. */
  pruneSessions(now: Date, idleBefore: Date): Promise<number>;

  /** Appends and keeps at most `keep` records of that user. */
  appendLogin(record: Omit<LoginRecord, 'id'>, keep: number): Promise<void>;
  listLogins(userId: string, limit: number): Promise<LoginRecord[]>;
  pruneLogins(before: Date): Promise<number>;

  createAdminToken(token: AdminToken): Promise<void>;
  findAdminToken(tokenHash: string): Promise<AdminToken | null>;
  listAdminTokens(): Promise<AdminToken[]>;
  deleteAdminToken(id: string): Promise<boolean>;
  touchAdminToken(id: string, at: Date): Promise<void>;
}

/** The web store over the identity store's own database connection. */
export function webStoreOf(store: IdentityStore): WebStore {
  if (!(store instanceof SqlStore)) throw new Error('the web front end needs the SQL identity store (sqlite or postgres)');
  return new SqlWebStore(store.conn);
}
