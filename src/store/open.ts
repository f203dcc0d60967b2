/** Opens the configured identity store. Runs no migrations: callers call migrate(). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdentityStore } from './store.js';
import { SqlStore } from './sql/sql-store.js';

export interface StoreOptions {
  driver: 'sqlite' | 'postgres';
  sqlitePath: string;
  postgresUrl: string;
  postgresPoolSize: number;
  postgresSchema?: string;
  /** The change-detecting cache of hot reads (src/store/cache/); on unless false. */
  readCache?: boolean;
}

export async function openStore(opts: StoreOptions): Promise<IdentityStore> {
  // Each dialect's native client is loaded only when chosen.
  if (opts.driver === 'sqlite') {
    if (opts.sqlitePath !== ':memory:' && opts.sqlitePath !== '') mkdirSync(dirname(opts.sqlitePath), { recursive: true });
    const { openSqlite } = await import('./sqlite/sqlite.js');
    return SqlStore.open(openSqlite(opts.sqlitePath), { readCache: opts.readCache !== false });
  }
  const { openPostgres } = await import('./postgres/postgres.js');
  return SqlStore.open(
    openPostgres({
      url: opts.postgresUrl,
      poolSize: opts.postgresPoolSize,
      ...(opts.postgresSchema !== undefined ? { schema: opts.postgresSchema } : {}),
    }),
    { readCache: opts.readCache !== false },
  );
}
