/** Groups, their addresses and memberships. */
import { randomUUID } from 'node:crypto';
import type { Group, User } from '../../identity/model.js';
import { StoreNotFoundError, type GroupPatch, type NewGroup, type Page } from '../store.js';
import { insertAddress, moveMail } from './addresses.js';
import { mapConflicts, pageLimit, type SqlConn } from './conn.js';
import { requireDomain } from './domains.js';
import { toGroup, toUser, type GroupRow, type UserRow } from './rows.js';
import { lockRow, mustGetUser, pageFilter } from './users.js';

export async function getGroup(c: SqlConn, id: string): Promise<Group | null> {
  const row = await c.get<GroupRow>('SELECT * FROM group_view WHERE id = ?', [id]);
  return row ? toGroup(row) : null;
}

async function mustGetGroup(c: SqlConn, id: string): Promise<Group> {
  const group = await getGroup(c, id);
  if (!group) throw new StoreNotFoundError('group', id);
  return group;
}

export async function findGroupByName(c: SqlConn, name: string): Promise<Group | null> {
  const row = await c.get<GroupRow>('SELECT * FROM group_view WHERE name = ?', [name.toLowerCase()]);
  return row ? toGroup(row) : null;
}

export async function findGroupByAddress(c: SqlConn, address: string): Promise<Group | null> {
  const row = await c.get<GroupRow>(
    'SELECT g.* FROM addresses a JOIN group_view g ON g.id = a.group_id WHERE a.address = ?',
    [address.toLowerCase()],
  );
  return row ? toGroup(row) : null;
}

export function createGroup(c: SqlConn, input: NewGroup): Promise<Group> {
  const now = new Date();
  const group: Group = {
    id: input.id ?? randomUUID(),
    name: input.name.toLowerCase(),
    domain: input.domain?.toLowerCase() ?? null,
    mail: input.mail?.toLowerCase() ?? null,
    aliases: (input.aliases ?? []).map((a) => a.toLowerCase()).sort(),
    description: input.description ?? '',
    createdAt: now,
    updatedAt: now,
  };
  return c.transaction(async (t) => {
    if (group.domain !== null) await requireDomain(t, group.domain);
    await mapConflicts(
      t.run(
        'INSERT INTO groups (id, name, domain, mail, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [group.id, group.name, group.domain, group.mail, group.description, now, now],
      ),
      { 'groups.id': ['id', group.id], 'groups.name': ['group', group.name], 'groups.mail': ['mail', group.mail ?? ''] },
    );
    if (group.mail !== null) await insertAddress(t, group.mail, { group: group.id }, 'mail');
    for (const alias of group.aliases) await insertAddress(t, alias, { group: group.id }, 'alias');
    return group;
  });
}

export function updateGroup(c: SqlConn, id: string, patch: GroupPatch): Promise<Group> {
  return c.transaction(async (t) => {
    await lockRow(t, 'groups', id);
    const cur = await mustGetGroup(t, id);
    const mail = patch.mail !== undefined ? (patch.mail?.toLowerCase() ?? null) : cur.mail;
    await mapConflicts(
      t.run('UPDATE groups SET mail = ?, description = ?, updated_at = ? WHERE id = ?', [
        mail,
        patch.description ?? cur.description,
        new Date(),
        id,
      ]),
      { 'groups.mail': ['mail', mail ?? ''] },
    );
    if (mail !== cur.mail) await moveMail(t, { group: id }, cur.mail, mail);
    return mustGetGroup(t, id);
  });
}

export async function deleteGroup(c: SqlConn, id: string): Promise<void> {
  // One statement: addresses and memberships go with it by ON DELETE CASCADE.
  if ((await c.run('DELETE FROM groups WHERE id = ?', [id])) === 0) throw new StoreNotFoundError('group', id);
}

export async function listGroups(c: SqlConn, page: Page = {}): Promise<Group[]> {
  const { where, params } = pageFilter(page, ['name', 'mail', 'description']);
  const rows = await c.all<GroupRow>(`SELECT * FROM group_view ${where} ORDER BY name LIMIT ? OFFSET ?`, [
    ...params,
    pageLimit(page.limit),
    Math.max(0, Math.trunc(page.offset ?? 0)),
  ]);
  return rows.map(toGroup);
}

const touchGroup = (c: SqlConn, id: string): Promise<number> =>
  c.run('UPDATE groups SET updated_at = ? WHERE id = ?', [new Date(), id]);

export function addGroupAlias(c: SqlConn, groupId: string, alias: string): Promise<void> {
  return c.transaction(async (t) => {
    if ((await touchGroup(t, groupId)) === 0) throw new StoreNotFoundError('group', groupId);
    await insertAddress(t, alias.toLowerCase(), { group: groupId }, 'alias');
  });
}

export function removeGroupAlias(c: SqlConn, groupId: string, alias: string): Promise<void> {
  const address = alias.toLowerCase();
  return c.transaction(async (t) => {
    const gone = await t.run(
      `DELETE FROM addresses WHERE address = ? AND group_id = ?
         AND NOT EXISTS (SELECT 1 FROM groups WHERE id = ? AND mail = ?)`,
      [address, groupId, groupId, address],
    );
    if (gone === 0) throw new StoreNotFoundError('alias', address);
    await touchGroup(t, groupId);
  });
}

export function addMember(c: SqlConn, groupId: string, userId: string): Promise<void> {
  return c.transaction(async (t) => {
    await lockRow(t, 'groups', groupId);
    await mustGetGroup(t, groupId);
    await mustGetUser(t, userId);
    const added = await t.run('INSERT INTO memberships (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [
      groupId,
      userId,
    ]);
    if (added > 0) await touchGroup(t, groupId);
  });
}

export function removeMember(c: SqlConn, groupId: string, userId: string): Promise<void> {
  return c.transaction(async (t) => {
    const removed = await t.run('DELETE FROM memberships WHERE group_id = ? AND user_id = ?', [groupId, userId]);
    if (removed > 0) await touchGroup(t, groupId);
  });
}

export async function listMembers(c: SqlConn, groupId: string): Promise<User[]> {
  const rows = await c.all<UserRow>(
    'SELECT v.* FROM memberships m JOIN user_view v ON v.id = m.user_id WHERE m.group_id = ? ORDER BY v.login',
    [groupId],
  );
  return rows.map(toUser);
}

export async function groupsOfUser(c: SqlConn, userId: string): Promise<Group[]> {
  const rows = await c.all<GroupRow>(
    'SELECT g.* FROM memberships m JOIN group_view g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.name',
    [userId],
  );
  return rows.map(toGroup);
}
