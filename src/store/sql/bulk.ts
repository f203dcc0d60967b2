/**
 * Bulk seeding for benchmarks and large imports: multi-row INSERTs in one transaction. Skips
 * the per-row conflict mapping: a clash fails the whole batch with the raw database error.
 */
import { randomUUID } from 'node:crypto';
import type { NewUser } from '../store.js';
import type { Param, SqlConn } from './conn.js';

const CHUNK = 500; // 11 params a user row: well under SQLite's 32766 and pg's 65535 limits

const values = (rows: number, cols: number): string =>
  Array.from({ length: rows }, () => `(${Array.from({ length: cols }, () => '?').join(', ')})`).join(', ');

export async function bulkCreateUsers(c: SqlConn, users: readonly NewUser[]): Promise<void> {
  await c.transaction(async (t) => {
    for (let start = 0; start < users.length; start += CHUNK) {
      const chunk = users.slice(start, start + CHUNK);
      const now = new Date();
      const userParams: Param[] = [];
      const addressParams: Param[] = [];
      for (const u of chunk) {
        const id = u.id ?? randomUUID();
        const mail = u.mail.toLowerCase();
        userParams.push(id, u.login.toLowerCase(), u.domain.toLowerCase(), mail, u.displayName, u.enabled ?? true,
          JSON.stringify(u.roles ?? []), u.passwordHash, u.passwordChangedAt ?? null, now, now);
        addressParams.push(mail, id);
        for (const alias of u.aliases ?? []) addressParams.push(alias.toLowerCase(), id);
      }
      await t.run(
        `INSERT INTO users (id, login, domain, mail, display_name, enabled, roles, password_hash,
           password_changed_at, created_at, updated_at) VALUES ${values(chunk.length, 11)}`,
        userParams,
      );
      await t.run(`INSERT INTO addresses (address, user_id) VALUES ${values(addressParams.length / 2, 2)}`, addressParams);
    }
  });
  // Fresh statistics, or PostgreSQL may plan the alias sub-select as a scan until autovacuum runs.
  if (c.dialect === 'postgres' && !c.inTransaction) await c.run('ANALYZE users, addresses');
}
