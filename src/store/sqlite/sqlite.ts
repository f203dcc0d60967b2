/**
 * SQLite dialect (better-sqlite3, WAL). One writer connection, serialised by an async mutex
 * because transactions span awaits; one reader connection so look-ups never wait for a
 * writer and never see another caller's uncommitted transaction. Statements are prepared
 * once per connection and cached.
 */
import Database from 'better-sqlite3';
import type { ChangeSource } from '../cache/change-source.js';
import { SqliteChanges } from '../cache/sqlite-changes.js';
import { MIGRATIONS } from '../migrations.js';
import { Mutex } from '../mutex.js';
import type { Param, SqlConn, SqlDriver } from '../sql/conn.js';

type Db = Database.Database;
type Stmt = Database.Statement<unknown[], unknown>;
type Bound = string | number | null;

/** Write statements run on the writer; read-only ones at the root also get a reader copy. */
interface Prepared {
  write: Stmt;
  read: Stmt | null;
}

const bind = (params: readonly Param[]): Bound[] =>
  params.map((v) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : v));

class Connections {
  readonly mutex = new Mutex();
  private readonly cache = new Map<string, Prepared>();
  /** The same statements in raw mode (rows as arrays), kept apart: raw is a statement's state. */
  private readonly rawCache = new Map<string, Prepared>();

  constructor(
    readonly writer: Db,
    readonly reader: Db,
  ) {}

  prepare(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (!p) {
      const write = this.writer.prepare<unknown[], unknown>(sql);
      const read = write.readonly && this.reader !== this.writer ? this.reader.prepare<unknown[], unknown>(sql) : null;
      p = { write, read };
      this.cache.set(sql, p);
    }
    return p;
  }

  prepareRaw(sql: string): Prepared {
    let p = this.rawCache.get(sql);
    if (!p) {
      const write = this.writer.prepare<unknown[], unknown>(sql).raw(true);
      const read = write.readonly && this.reader !== this.writer ? this.reader.prepare<unknown[], unknown>(sql).raw(true) : null;
      p = { write, read };
      this.rawCache.set(sql, p);
    }
    return p;
  }
}

/** Inside a transaction: everything on the writer, which the transaction holds. */
class SqliteTx implements SqlConn {
  readonly dialect = 'sqlite';
  readonly inTransaction = true;
  private readonly nested = new Mutex(); // nested savepoints on one level run one at a time
  private ended = false;

  constructor(
    private readonly db: Connections,
    private readonly depth: number,
  ) {}

  end(): void {
    this.ended = true;
  }

  private stmt(sql: string): Stmt {
    if (this.ended) throw new Error('transaction already finished');
    return this.db.prepare(sql).write;
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return this.stmt(sql).all(bind(params)) as T[];
  }
  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return this.stmt(sql).get(bind(params)) as T | undefined;
  }
  async getRow<T extends readonly unknown[]>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    if (this.ended) throw new Error('transaction already finished');
    return this.db.prepareRaw(sql).write.get(bind(params)) as T | undefined;
  }
  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return this.stmt(sql).run(bind(params)).changes;
  }

  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    return this.nested.run(async () => {
      const name = `sp${this.depth}`;
      this.stmt(`SAVEPOINT ${name}`).run();
      const child = new SqliteTx(this.db, this.depth + 1);
      try {
        const result = await fn(child);
        this.db.writer.exec(`RELEASE ${name}`);
        return result;
      } catch (err) {
        this.db.writer.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw err;
      } finally {
        child.end();
      }
    });
  }
}

class SqliteRoot implements SqlDriver {
  readonly dialect = 'sqlite';
  readonly inTransaction = false;
  readonly changes: ChangeSource;

  constructor(private readonly db: Connections) {
    this.changes = new SqliteChanges(db.reader, db.reader === db.writer);
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    const p = this.db.prepare(sql);
    if (p.read) return p.read.all(bind(params)) as T[];
    return this.db.mutex.run(() => p.write.all(bind(params)) as T[]);
  }
  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    const p = this.db.prepare(sql);
    if (p.read) return p.read.get(bind(params)) as T | undefined;
    return this.db.mutex.run(() => p.write.get(bind(params)) as T | undefined);
  }
  async getRow<T extends readonly unknown[]>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    const p = this.db.prepareRaw(sql);
    if (p.read) return p.read.get(bind(params)) as T | undefined;
    return this.db.mutex.run(() => p.write.get(bind(params)) as T | undefined);
  }
  run(sql: string, params: readonly Param[] = []): Promise<number> {
    const p = this.db.prepare(sql);
    // Waits for the mutex so it cannot land inside someone else's open transaction.
    return this.db.mutex.run(() => p.write.run(bind(params)).changes);
  }

  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    const { writer } = this.db;
    return this.db.mutex.run(async () => {
      writer.exec('BEGIN IMMEDIATE'); // take the write lock now, not at the first write
      const tx = new SqliteTx(this.db, 0);
      try {
        const result = await fn(tx);
        writer.exec('COMMIT'); // deferred foreign keys are checked here
        return result;
      } catch (err) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw err;
      } finally {
        tx.end();
      }
    });
  }

  migrate(): Promise<void> {
    const { writer } = this.db;
    return this.db.mutex.run(() => {
      writer.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      const applied = writer.prepare<[number], { id: number }>('SELECT id FROM schema_migrations WHERE id = ?');
      const record = writer.prepare<[number, string, number]>(
        'INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)',
      );
      for (const m of MIGRATIONS) {
        // Re-checked inside the IMMEDIATE transaction: another process may have just applied it.
        writer
          .transaction(() => {
            if (applied.get(m.id)) return;
            writer.exec(m.sqlite);
            record.run(m.id, m.name, Date.now());
          })
          .immediate();
      }
    });
  }

  close(): Promise<void> {
    return this.db.mutex.run(() => {
      if (this.db.reader !== this.db.writer) this.db.reader.close();
      this.db.writer.close();
    });
  }
}

/**
 * WAL with synchronous=NORMAL: a commit survives a process crash (the WAL is written before
 * COMMIT returns); only an OS crash or power cut can lose the last few commits, never corrupt
 * the file. FULL would fsync on every write, and touchAppPassword writes on every app-password
 * login, so NORMAL is the better trade for an auth store.
 */
export function openSqlite(path: string, busyTimeoutMs = 5000): SqlDriver {
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = NORMAL');
  writer.pragma('foreign_keys = ON');
  writer.pragma(`busy_timeout = ${busyTimeoutMs}`);
  writer.pragma('cache_size = -16000'); // 16 MB: the hot indexes of 100k users stay in memory
  const inMemory = path === ':memory:' || path === '';
  const reader = inMemory ? writer : new Database(path);
  if (!inMemory) {
    reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
    reader.pragma('cache_size = -16000');
    // Look-ups read the file through a mapping (the OS page cache, shared by the cluster's
    // workers): no read() call and copy per page the 16 MB cache misses (a first read of a user
    // touches four or five random pages; ~3 µs less each). Pages still in the WAL are read as before.
    reader.pragma('mmap_size = 268435456');
    reader.pragma('query_only = ON');
  }
  return new SqliteRoot(new Connections(writer, reader));
}
