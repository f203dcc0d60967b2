/**
 * PostgreSQL dialect (pg). Root queries use the pool; a transaction holds one pooled client
 * for its whole life. Every statement is a named prepared statement (its name derived from
 * its text), prepared once per pooled connection.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ChangeSource } from '../cache/change-source.js';
import { PgChanges } from '../cache/pg-changes.js';
import { MIGRATIONS } from '../migrations.js';
import { Mutex } from '../mutex.js';
import type { Param, SqlConn, SqlDriver } from '../sql/conn.js';

interface Query {
  name: string;
  text: string;
  values: Param[];
}

const texts = new Map<string, { name: string; text: string }>();

/** `?` placeholders become `$n`; the shared SQL never has a `?` inside a literal. */
function query(sql: string, params: readonly Param[]): Query {
  let q = texts.get(sql);
  if (!q) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    q = { text, name: `pc_${createHash('sha1').update(text).digest('hex').slice(0, 24)}` };
    texts.set(sql, q);
  }
  return { ...q, values: [...params] };
}

type Queryable = pg.Pool | pg.PoolClient;

async function rows<T>(db: Queryable, sql: string, params: readonly Param[]): Promise<T[]> {
  const res = await db.query<Record<string, unknown>>(query(sql, params));
  return res.rows as T[];
}

async function firstRow<T extends readonly unknown[]>(db: Queryable, sql: string, params: readonly Param[]): Promise<T | undefined> {
  const res = await db.query<unknown[]>({ ...query(sql, params), rowMode: 'array' });
  return res.rows[0] as T | undefined;
}

class PgTx implements SqlConn {
  readonly dialect = 'postgres';
  readonly inTransaction = true;
  private readonly nested = new Mutex(); // nested savepoints on one level run one at a time
  private ended = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}

  end(): void {
    this.ended = true;
  }

  private db(): pg.PoolClient {
    if (this.ended) throw new Error('transaction already finished');
    return this.client;
  }

  all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return rows<T>(this.db(), sql, params);
  }
  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return (await rows<T>(this.db(), sql, params))[0];
  }
  getRow<T extends readonly unknown[]>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return firstRow<T>(this.db(), sql, params);
  }
  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return (await this.db().query(query(sql, params))).rowCount ?? 0;
  }

  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    return this.nested.run(async () => {
      const name = `sp${this.depth}`;
      await this.db().query(`SAVEPOINT ${name}`);
      const child = new PgTx(this.client, this.depth + 1);
      try {
        const result = await fn(child);
        await this.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await this.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
        throw err;
      } finally {
        child.end();
      }
    });
  }
}

class PgRoot implements SqlDriver {
  readonly dialect = 'postgres';
  readonly inTransaction = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly changes: ChangeSource,
  ) {}

  all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return rows<T>(this.pool, sql, params);
  }
  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return (await rows<T>(this.pool, sql, params))[0];
  }
  getRow<T extends readonly unknown[]>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return firstRow<T>(this.pool, sql, params);
  }
  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return (await this.pool.query(query(sql, params))).rowCount ?? 0;
  }

  async transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const tx = new PgTx(client, 0);
      try {
        const result = await fn(tx);
        await client.query('COMMIT'); // deferred foreign keys are checked here
        return result;
      } catch (err) {
        // A client that cannot even roll back is destroyed rather than returned to the pool.
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw err;
      } finally {
        tx.end();
      }
    } finally {
      client.release(broken);
    }
  }

  /** Serialised across processes by an advisory lock keyed on the schema, so two nodes starting together don't race. */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    const lockKey = "4242, hashtext(coalesce(current_schema(), ''))";
    try {
      await client.query(`SELECT pg_advisory_lock(${lockKey})`);
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
        const done = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
        const applied = new Set(done.rows.map((r) => r.id));
        for (const m of MIGRATIONS) {
          if (applied.has(m.id)) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.postgres);
            await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${lockKey})`);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }
}

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Sets search_path on every pooled connection (tests use a throw-away schema). */
  schema?: string;
}

export function openPostgres(opts: PostgresOptions): SqlDriver {
  if (opts.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.schema)) {
    throw new Error(`invalid PostgreSQL schema name "${opts.schema}"`);
  }
  const connection = {
    connectionString: opts.url,
    ...(opts.schema !== undefined ? { options: `-c search_path=${opts.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: opts.poolSize });
  // An idle pooled client that dies is dropped by the pool; the next query reports any real outage.
  pool.on('error', () => undefined);
  return new PgRoot(pool, new PgChanges(connection));
}
