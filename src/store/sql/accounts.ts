/** Service accounts and app passwords: the non-interactive credentials. */
import { randomUUID } from 'node:crypto';
import type { AppPassword, ServiceAccount } from '../../identity/model.js';
import {
  StoreNotFoundError,
  type AppPasswordUse,
  type NewAppPassword,
  type NewServiceAccount,
  type ServiceAccountPatch,
} from '../store.js';
import { mapConflicts, single, type SqlConn } from './conn.js';
import { toAppPassword, toServiceAccount, type AppPasswordRow, type ServiceAccountRow } from './rows.js';
import { lockRow, mustGetUser } from './users.js';

export function createServiceAccount(c: SqlConn, input: NewServiceAccount): Promise<ServiceAccount> {
  const now = new Date();
  const account: ServiceAccount = {
    id: randomUUID(),
    name: input.name.toLowerCase(),
    description: input.description ?? '',
    passwordHash: input.passwordHash,
    roles: input.roles,
    enabled: true,
    credentialVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
  const insert = (t: SqlConn): Promise<number> =>
    t.run(
      `INSERT INTO service_accounts (id, name, description, password_hash, roles, enabled, credential_version,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      [account.id, account.name, account.description, account.passwordHash, JSON.stringify(account.roles), true, now, now],
    );
  return single(c, (t) => mapConflicts(insert(t), { 'service_accounts.name': ['service account', account.name] })).then(
    () => account,
  );
}

async function getServiceAccount(c: SqlConn, id: string): Promise<ServiceAccount> {
  const row = await c.get<ServiceAccountRow>('SELECT * FROM service_accounts WHERE id = ?', [id]);
  if (!row) throw new StoreNotFoundError('service account', id);
  return toServiceAccount(row);
}

export function updateServiceAccount(c: SqlConn, id: string, patch: ServiceAccountPatch): Promise<ServiceAccount> {
  return c.transaction(async (t) => {
    await lockRow(t, 'service_accounts', id);
    const cur = await getServiceAccount(t, id);
    const enabled = patch.enabled ?? cur.enabled;
    const bump = patch.passwordHash !== undefined || enabled !== cur.enabled ? 1 : 0;
    await t.run(
      `UPDATE service_accounts SET description = ?, roles = ?, enabled = ?, password_hash = ?,
         credential_version = credential_version + ?, updated_at = ? WHERE id = ?`,
      [patch.description ?? cur.description, JSON.stringify(patch.roles ?? cur.roles), enabled,
        patch.passwordHash ?? cur.passwordHash, bump, new Date(), id],
    );
    return getServiceAccount(t, id);
  });
}

export async function deleteServiceAccount(c: SqlConn, id: string): Promise<void> {
  if ((await c.run('DELETE FROM service_accounts WHERE id = ?', [id])) === 0) {
    throw new StoreNotFoundError('service account', id);
  }
}

export async function findServiceAccount(c: SqlConn, name: string): Promise<ServiceAccount | null> {
  const row = await c.get<ServiceAccountRow>('SELECT * FROM service_accounts WHERE name = ?', [name.toLowerCase()]);
  return row ? toServiceAccount(row) : null;
}

export async function listServiceAccounts(c: SqlConn): Promise<ServiceAccount[]> {
  return (await c.all<ServiceAccountRow>('SELECT * FROM service_accounts ORDER BY name')).map(toServiceAccount);
}

export function createAppPassword(c: SqlConn, input: NewAppPassword): Promise<AppPassword> {
  const ap: AppPassword = {
    id: randomUUID(),
    userId: input.userId,
    name: input.name,
    scopes: [...input.scopes],
    hash: input.hash,
    createdAt: new Date(),
    expiresAt: input.expiresAt ?? null,
    lastUsedAt: null,
    lastUsedProtocol: null,
    lastUsedIp: null,
  };
  return c.transaction(async (t) => {
    await mustGetUser(t, ap.userId);
    await mapConflicts(
      t.run(
        `INSERT INTO app_passwords (id, user_id, name, scopes, hash, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [ap.id, ap.userId, ap.name, JSON.stringify(ap.scopes), ap.hash, ap.createdAt, ap.expiresAt],
      ),
      { 'app_passwords.user_id,app_passwords.name': ['app password', ap.name] },
    );
    return ap;
  });
}

export async function listAppPasswords(c: SqlConn, userId: string): Promise<AppPassword[]> {
  const rows = await c.all<AppPasswordRow>('SELECT * FROM app_passwords WHERE user_id = ? ORDER BY created_at, name', [
    userId,
  ]);
  return rows.map(toAppPassword);
}

export async function getAppPassword(c: SqlConn, id: string): Promise<AppPassword | null> {
  const row = await c.get<AppPasswordRow>('SELECT * FROM app_passwords WHERE id = ?', [id]);
  return row ? toAppPassword(row) : null;
}

export function revokeAppPassword(c: SqlConn, id: string): Promise<void> {
  return c.transaction(async (t) => {
    const row = await t.get<{ user_id: string }>('DELETE FROM app_passwords WHERE id = ? RETURNING user_id', [id]);
    if (!row) throw new StoreNotFoundError('app password', id);
    await t.run('UPDATE users SET credential_version = credential_version + 1, updated_at = ? WHERE id = ?', [
      new Date(),
      row.user_id,
    ]);
  });
}

/**
 * Returns the owner's id, or null if the app password is gone: a login racing its revocation is
 * not an error. Writes only the last-use columns, which signal no change (migration 5).
 */
export async function touchAppPassword(c: SqlConn, id: string, use: AppPasswordUse): Promise<string | null> {
  const row = await c.get<{ user_id: string }>(
    'UPDATE app_passwords SET last_used_at = ?, last_used_protocol = ?, last_used_ip = ? WHERE id = ? RETURNING user_id',
    [use.at, use.protocol, use.ip, id],
  );
  return row?.user_id ?? null;
}
