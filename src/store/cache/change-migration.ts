/**
 * Migration 4: change tracking for the store's read cache (src/store/cache/). Every write to an
 * identity table bumps `store_changes.n` (SQLite, polled) or sends NOTIFY portcullis_store_changes
 * with the schema name (PostgreSQL, once per statement, delivered at commit). Triggers fire for
 * any writer — this process, the CLI, another node, or hand-written SQL.
 * Migration 5 (last-use-migration.ts) replaces app_passwords' UPDATE signal: recording last use is no change.
 */
import type { Migration } from '../migrations.js';

export const CHANGE_CHANNEL = 'portcullis_store_changes';

const TABLES = ['domains', 'users', 'groups', 'addresses', 'memberships', 'service_accounts', 'app_passwords'] as const;

const sqlite = [
  'CREATE TABLE store_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);',
  'INSERT INTO store_changes (id, n) VALUES (1, 0);',
  ...TABLES.flatMap((t) =>
    (['INSERT', 'UPDATE', 'DELETE'] as const).map(
      (op) => `CREATE TRIGGER ${t}_changed_${op.toLowerCase()} AFTER ${op} ON ${t} BEGIN UPDATE store_changes SET n = n + 1 WHERE id = 1; END;`,
    ),
  ),
].join('\n');

const postgres = [
  `CREATE FUNCTION portcullis_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${CHANGE_CHANNEL}', current_schema());
  RETURN NULL;
END $$;`,
  ...TABLES.map(
    (t) => `CREATE TRIGGER ${t}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION portcullis_store_changed();`,
  ),
].join('\n');

export const CHANGE_TRACKING_MIGRATION: Migration = { id: 4, name: 'change-tracking', sqlite, postgres };
