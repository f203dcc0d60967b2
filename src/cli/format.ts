/** How identities look on the command line and in --json: never with a hash or internal counters. */
import type { AppPassword, Group, User } from '../identity/model.js';

export function publicUser(user: User, groups: string[] = []) {
  return {
    id: user.id,
    login: user.login,
    mail: user.mail,
    aliases: user.aliases,
    displayName: user.displayName,
    enabled: user.enabled,
    roles: user.roles,
    groups,
    hasPassword: user.passwordHash !== null,
    passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function publicAppPassword(ap: AppPassword) {
  return {
    id: ap.id,
    name: ap.name,
    scopes: ap.scopes,
    createdAt: ap.createdAt.toISOString(),
    expiresAt: ap.expiresAt?.toISOString() ?? null,
    lastUsedAt: ap.lastUsedAt?.toISOString() ?? null,
    lastUsedProtocol: ap.lastUsedProtocol,
    lastUsedIp: ap.lastUsedIp,
  };
}

export function publicGroup(group: Group, members: string[]) {
  return { id: group.id, name: group.name, mail: group.mail, aliases: group.aliases, description: group.description, members };
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function keyValues(entries: Array<[string, string]>): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${(k + ':').padEnd(width + 2)}${v}`).join('\n');
}
