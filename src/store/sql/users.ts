/** Users: one row plus their address rows; read back through user_view in one query. */
import { randomUUID } from 'node:crypto';
import type { User } from '../../identity/model.js';
import { StoreNotFoundError, type NewUser, type Page, type UserPatch } from '../store.js';
import { insertAddress, moveMail } from './addresses.js';
import { likePattern, mapConflicts, pageLimit, type Param, type SqlConn } from './conn.js';
import { requireDomain } from './domains.js';
import { USER_COLUMNS, toUser, tupleToUser, type UserRow, type UserTuple } from './rows.js';

/**
 * A user as the hot look-ups read them, plus whether they belong to any group (one index probe in
 * the same statement): the read cache then knows groupsOfUser is empty without asking.
 */
export interface UserLookup {
  user: User;
  inGroups: boolean;
}

/** USER_COLUMNS, then whether the user is in any group. */
type LookupRow = readonly [...UserTuple, in_groups: number | boolean];

const IN_GROUPS = 'EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = v.id) AS in_groups';
const LOOKUPS = {
  id: `SELECT ${USER_COLUMNS}, ${IN_GROUPS} FROM user_view v WHERE v.id = ?`,
  login: `SELECT ${USER_COLUMNS}, ${IN_GROUPS} FROM user_view v WHERE v.login = ?`,
  // The hot path (every RCPT TO): one primary-key probe on addresses, one on users.
  address: `SELECT ${USER_COLUMNS}, ${IN_GROUPS} FROM addresses a JOIN user_view v ON v.id = a.user_id WHERE a.address = ?`,
} as const;

/** By id, login or address (login and address are matched in lowercase). Raw rows: no object per row with a key per column. */
export async function lookUpUser(c: SqlConn, by: keyof typeof LOOKUPS, value: string): Promise<UserLookup | null> {
  const row = await c.getRow<LookupRow>(LOOKUPS[by], [by === 'id' ? value : value.toLowerCase()]);
  if (row === undefined) return null;
  const inGroups = row[13];
  return { user: tupleToUser(row), inGroups: inGroups === true || inGroups === 1 };
}

export async function getUser(c: SqlConn, id: string): Promise<User | null> {
  return (await lookUpUser(c, 'id', id))?.user ?? null;
}

export async function findUserByLogin(c: SqlConn, login: string): Promise<User | null> {
  return (await lookUpUser(c, 'login', login))?.user ?? null;
}

export async function findUserByAddress(c: SqlConn, address: string): Promise<User | null> {
  return (await lookUpUser(c, 'address', address))?.user ?? null;
}

export async function mustGetUser(c: SqlConn, id: string): Promise<User> {
  const user = await getUser(c, id);
  if (!user) throw new StoreNotFoundError('user', id);
  return user;
}

/** Locks the row for the rest of the transaction (PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes writers). */
export async function lockRow(c: SqlConn, table: 'users' | 'groups' | 'service_accounts' | 'trusted_issuers', id: string): Promise<void> {
  if (c.dialect === 'postgres') await c.get(`SELECT 1 FROM ${table} WHERE id = ? FOR UPDATE`, [id]);
}

export function createUser(c: SqlConn, input: NewUser): Promise<User> {
  const id = input.id ?? randomUUID();
  const login = input.login.toLowerCase();
  const domain = input.domain.toLowerCase();
  const mail = input.mail.toLowerCase();
  const aliases = (input.aliases ?? []).map((a) => a.toLowerCase());
  const now = new Date();
  const user: User = {
    id,
    login,
    domain,
    mail,
    aliases: [...aliases].sort(),
    displayName: input.displayName,
    enabled: input.enabled ?? true,
    roles: input.roles ?? [],
    passwordHash: input.passwordHash,
    passwordChangedAt: input.passwordChangedAt ?? (input.passwordHash === null ? null : now),
    credentialVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
  return c.transaction(async (t) => {
    await requireDomain(t, domain);
    await mapConflicts(
      t.run(
        `INSERT INTO users (id, login, domain, mail, display_name, enabled, roles, password_hash,
           password_changed_at, credential_version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [id, login, domain, mail, user.displayName, user.enabled, JSON.stringify(user.roles), user.passwordHash,
          user.passwordChangedAt, now, now],
      ),
      { 'users.id': ['id', id], 'users.login': ['login', login], 'users.mail': ['mail', mail] },
    );
    await insertAddress(t, mail, { user: id }, 'mail');
    for (const alias of aliases) await insertAddress(t, alias, { user: id }, 'alias');
    return user;
  });
}

export function updateUser(c: SqlConn, id: string, patch: UserPatch): Promise<User> {
  return c.transaction(async (t) => {
    await lockRow(t, 'users', id);
    const cur = await mustGetUser(t, id);
    const now = new Date();
    let bump = 0;
    let hash = cur.passwordHash;
    let changedAt = cur.passwordChangedAt;
    if (patch.passwordHash !== undefined) {
      hash = patch.passwordHash;
      changedAt = patch.passwordChangedAt !== undefined ? patch.passwordChangedAt : now;
      bump = 1;
    } else if (patch.passwordChangedAt !== undefined) {
      changedAt = patch.passwordChangedAt;
    }
    const enabled = patch.enabled ?? cur.enabled;
    if (enabled !== cur.enabled) bump = 1; // disabling must invalidate cached verifications
    const mail = patch.mail !== undefined ? patch.mail.toLowerCase() : cur.mail;
    await mapConflicts(
      t.run(
        `UPDATE users SET display_name = ?, enabled = ?, roles = ?, mail = ?, password_hash = ?,
           password_changed_at = ?, credential_version = credential_version + ?, updated_at = ?
         WHERE id = ?`,
        [patch.displayName ?? cur.displayName, enabled, JSON.stringify(patch.roles ?? cur.roles), mail, hash,
          changedAt, bump, now, id],
      ),
      { 'users.mail': ['mail', mail] },
    );
    if (mail !== cur.mail) await moveMail(t, { user: id }, cur.mail, mail);
    return mustGetUser(t, id);
  });
}

export function deleteUser(c: SqlConn, id: string): Promise<void> {
  return c.transaction(async (t) => {
    // Groups lose a member: their modification time moves (LDAP modifyTimestamp).
    await t.run('UPDATE groups SET updated_at = ? WHERE id IN (SELECT group_id FROM memberships WHERE user_id = ?)', [new Date(), id]);
    // Addresses, memberships and app passwords go by ON DELETE CASCADE, in this transaction.
    if ((await t.run('DELETE FROM users WHERE id = ?', [id])) === 0) throw new StoreNotFoundError('user', id);
  });
}

/** WHERE clause for Page.query/domain over the given columns. */
export function pageFilter(page: Page, columns: readonly string[]): { where: string; params: Param[] } {
  const terms: string[] = [];
  const params: Param[] = [];
  if (page.domain !== undefined) {
    terms.push('domain = ?');
    params.push(page.domain.toLowerCase());
  }
  if (page.query) {
    terms.push(`(${columns.map((col) => `lower(${col}) LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < columns.length; i++) params.push(likePattern(page.query));
  }
  return { where: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

const USER_SEARCH = ['login', 'mail', 'display_name'] as const;

export async function listUsers(c: SqlConn, page: Page = {}): Promise<User[]> {
  const { where, params } = pageFilter(page, USER_SEARCH);
  const rows = await c.all<UserRow>(`SELECT * FROM user_view ${where} ORDER BY login LIMIT ? OFFSET ?`, [
    ...params,
    pageLimit(page.limit),
    Math.max(0, Math.trunc(page.offset ?? 0)),
  ]);
  return rows.map(toUser);
}

export async function countUsers(c: SqlConn, page: Page = {}): Promise<number> {
  const { where, params } = pageFilter(page, USER_SEARCH);
  const row = await c.get<{ n: number | string }>(`SELECT count(*) AS n FROM users ${where}`, params);
  return Number(row?.n ?? 0);
}

export function addUserAlias(c: SqlConn, userId: string, alias: string): Promise<void> {
  return c.transaction(async (t) => {
    if ((await t.run('UPDATE users SET updated_at = ? WHERE id = ?', [new Date(), userId])) === 0) {
      throw new StoreNotFoundError('user', userId);
    }
    await insertAddress(t, alias.toLowerCase(), { user: userId }, 'alias');
  });
}

export function removeUserAlias(c: SqlConn, userId: string, alias: string): Promise<void> {
  const address = alias.toLowerCase();
  return c.transaction(async (t) => {
    const gone = await t.run(
      'DELETE FROM addresses WHERE address = ? AND user_id = ? AND address <> (SELECT mail FROM users WHERE id = ?)',
      [address, userId, userId],
    );
    if (gone === 0) throw new StoreNotFoundError('alias', address);
    await t.run('UPDATE users SET updated_at = ? WHERE id = ?', [new Date(), userId]);
  });
}
