/** Mail domains: users and groups reference them, so a domain in use cannot be deleted. */
import type { Domain } from '../../identity/model.js';
import { StoreConflictError, StoreNotFoundError } from '../store.js';
import { isForeignKeyViolation, mapConflicts, single, type SqlConn } from './conn.js';
import { toDomain, type DomainRow } from './rows.js';

export function createDomain(c: SqlConn, name: string): Promise<Domain> {
  const domain: Domain = { name: name.toLowerCase(), createdAt: new Date() };
  return single(c, (t) =>
    mapConflicts(t.run('INSERT INTO domains (name, created_at) VALUES (?, ?)', [domain.name, domain.createdAt]), {
      'domains.name': ['domain', domain.name],
    }),
  ).then(() => domain);
}

export async function getDomain(c: SqlConn, name: string): Promise<Domain | null> {
  const row = await c.get<DomainRow>('SELECT * FROM domains WHERE name = ?', [name.toLowerCase()]);
  return row ? toDomain(row) : null;
}

export async function listDomains(c: SqlConn): Promise<Domain[]> {
  return (await c.all<DomainRow>('SELECT * FROM domains ORDER BY name')).map(toDomain);
}

/** Checked up front because SQLite's foreign-key error does not say which key failed. */
export async function requireDomain(c: SqlConn, name: string): Promise<void> {
  if (!(await c.get('SELECT 1 AS n FROM domains WHERE name = ?', [name]))) throw new StoreNotFoundError('domain', name);
}

export function deleteDomain(c: SqlConn, name: string): Promise<void> {
  const key = name.toLowerCase();
  return c.transaction(async (t) => {
    await requireDomain(t, key);
    const used = await t.get(
      'SELECT 1 AS n FROM users WHERE domain = ? UNION ALL SELECT 1 AS n FROM groups WHERE domain = ? LIMIT 1',
      [key, key],
    );
    if (used) throw new StoreConflictError('domain', key);
    try {
      await t.run('DELETE FROM domains WHERE name = ?', [key]);
    } catch (err) {
      // A user created concurrently (PostgreSQL) still makes the foreign key refuse.
      if (isForeignKeyViolation(err)) throw new StoreConflictError('domain', key);
      throw err;
    }
  });
}
