/**
 * The narrow SQL surface the shared store logic runs on. Each dialect supplies one: SQLite
 * (better-sqlite3) and PostgreSQL (pg). SQL is written once with `?` placeholders.
 */
import type { ChangeSource } from '../cache/change-source.js';
import { StoreConflictError } from '../store.js';

export type Param = string | number | boolean | Date | null;

export interface SqlConn {
  readonly dialect: 'sqlite' | 'postgres';
  readonly inTransaction: boolean;
  all<T>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** The first row as its columns in select order: no object with a key per column (the hot look-ups). */
  getRow<T extends readonly unknown[]>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** A transaction at the root, a savepoint inside one: either way all-or-nothing. */
  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T>;
}

export interface SqlDriver extends SqlConn {
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Tells the read cache when committed data changed (src/store/cache/). */
  readonly changes: ChangeSource;
}

/**
 * Runs a single statement so that a failure (e.g. a unique violation the caller catches)
 * cannot poison an enclosing PostgreSQL transaction: inside one it gets its own savepoint.
 */
export function single<T>(c: SqlConn, fn: (conn: SqlConn) => Promise<T>): Promise<T> {
  return c.inTransaction ? c.transaction(fn) : fn(c);
}

interface DbError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  detail?: unknown;
}

/**
 * The key of a violated unique constraint as "table.col[,table.col]", in both dialects:
 * SQLite says "UNIQUE constraint failed: users.login"; pg gives table and "Key (login)=(…)".
 */
export function uniqueKey(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as DbError;
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const m = /constraint failed: (.+)$/.exec(String(e.message));
    return m?.[1] ? m[1].split(', ').join(',') : null;
  }
  if (e.code === '23505' && typeof e.table === 'string') {
    const m = /^Key \((.+?)\)=/.exec(String(e.detail));
    return m?.[1] ? m[1].split(', ').map((col) => `${String(e.table)}.${col}`).join(',') : null;
  }
  return null;
}

export function isForeignKeyViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as DbError).code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** Maps a unique violation of one of the given keys to a StoreConflictError. */
export type ConflictMap = Record<string, readonly [field: string, value: string]>;

export async function mapConflicts<T>(work: Promise<T>, conflicts: ConflictMap): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const key = uniqueKey(err);
    const hit = key === null ? undefined : conflicts[key];
    if (hit) throw new StoreConflictError(hit[0], hit[1]);
    throw err;
  }
}

/** LIKE pattern for a case-insensitive substring match (used with ESCAPE '\'). */
export function likePattern(query: string): string {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 100), 1), 1000);
}
