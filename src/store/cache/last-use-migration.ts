/**
 * Migration 5: recording an app password's last use is not an identity change. Migration 4's
 * triggers signalled every UPDATE of app_passwords, so touchAppPassword — run on every
 * app-password login — dropped every node's and process's read cache. This replaces only the
 * UPDATE signal of app_passwords: it now fires when anything but the last-use columns changed
 * (hash, scopes, expiry, name, owner...). INSERT, DELETE and TRUNCATE still always signal, and
 * the other identity tables keep migration 4's triggers.
 *
 * - SQLite: the trigger compares every other column of the old and new row (a new column must be
 *   added here by a later migration: a test checks that each one is watched).
 * - PostgreSQL: one notification per changed row (identical notifications of one transaction
 *   are delivered once), comparing the whole rows minus the last-use columns, so a column added
 *   later is watched without touching the trigger.
 * Re-running the text is harmless (DROP ... IF EXISTS, then CREATE).
 */
import type { Migration } from '../migrations.js';

/** Bookkeeping columns of app_passwords: writing only these signals no change. */
export const LAST_USE_COLUMNS = ['last_used_at', 'last_used_protocol', 'last_used_ip'] as const;
/** Every other column of app_passwords as of migration 5. */
const WATCHED = ['id', 'user_id', 'name', 'scopes', 'hash', 'created_at', 'expires_at'] as const;

const sqlite = `
DROP TRIGGER IF EXISTS app_passwords_changed_update;
CREATE TRIGGER app_passwords_changed_update AFTER UPDATE ON app_passwords
  WHEN ${WATCHED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
BEGIN UPDATE store_changes SET n = n + 1 WHERE id = 1; END;
`;

const bookkeeping = `ARRAY[${LAST_USE_COLUMNS.map((c) => `'${c}'`).join(', ')}]`;
const postgres = `
DROP TRIGGER IF EXISTS app_passwords_changed ON app_passwords;
DROP TRIGGER IF EXISTS app_passwords_changed_update ON app_passwords;
CREATE TRIGGER app_passwords_changed AFTER INSERT OR DELETE OR TRUNCATE ON app_passwords
  FOR EACH STATEMENT EXECUTE FUNCTION portcullis_store_changed();
CREATE TRIGGER app_passwords_changed_update AFTER UPDATE ON app_passwords FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ${bookkeeping}) IS DISTINCT FROM (to_jsonb(NEW) - ${bookkeeping}))
  EXECUTE FUNCTION portcullis_store_changed();
`;

export const LAST_USE_MIGRATION: Migration = { id: 5, name: 'last-use-is-no-change', sqlite, postgres };
