/** Mail addresses and aliases: one table, unique across users and groups. */
import type { AddressOwner } from '../../identity/model.js';
import { mapConflicts, type SqlConn } from './conn.js';

export type Owner = { user: string } | { group: string };

const userOf = (o: Owner): string | null => ('user' in o ? o.user : null);
const groupOf = (o: Owner): string | null => ('group' in o ? o.group : null);

/** Inserts an address; a clash (with anyone's mail or alias) is a conflict on `field`. */
export function insertAddress(c: SqlConn, address: string, owner: Owner, field: 'mail' | 'alias'): Promise<number> {
  return mapConflicts(
    c.run('INSERT INTO addresses (address, user_id, group_id) VALUES (?, ?, ?)', [address, userOf(owner), groupOf(owner)]),
    {
      // The (address, owner) keys that back the primary-address foreign keys can fire first.
      'addresses.address': [field, address],
      'addresses.address,addresses.user_id': [field, address],
      'addresses.address,addresses.group_id': [field, address],
    },
  );
}

interface OwnerRow {
  user_id: string | null;
  group_id: string | null;
}

export async function addressOwner(c: SqlConn, address: string): Promise<AddressOwner | null> {
  const row = await c.get<OwnerRow>('SELECT user_id, group_id FROM addresses WHERE address = ?', [address.toLowerCase()]);
  if (!row) return null;
  if (row.user_id !== null) return { kind: 'user', id: row.user_id };
  if (row.group_id !== null) return { kind: 'group', id: row.group_id };
  return null;
}

/**
 * Replaces an owner's primary address row (its mail column is updated by the caller). If the
 * new address is already one of the owner's aliases it simply becomes the primary one.
 */
export async function moveMail(c: SqlConn, owner: Owner, from: string | null, to: string | null): Promise<void> {
  const col = 'user' in owner ? 'user_id' : 'group_id';
  const id = userOf(owner) ?? groupOf(owner);
  if (from !== null) await c.run(`DELETE FROM addresses WHERE address = ? AND ${col} = ?`, [from, id]);
  if (to === null) return;
  const held = await c.get<{ n: number }>(`SELECT 1 AS n FROM addresses WHERE address = ? AND ${col} = ?`, [to, id]);
  if (!held) await insertAddress(c, to, owner, 'mail');
}
