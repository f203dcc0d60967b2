/** How identities leave Portcullis (CLI --json, admin and self-service APIs): never a hash, a secret or an internal counter. */
import type { AppPassword, Group, ServiceAccount, User } from './model.js';

export const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function publicUser(user: User, groups?: string[]) {
  return {
    id: user.id,
    login: user.login,
    mail: user.mail,
    aliases: user.aliases,
    displayName: user.displayName,
    enabled: user.enabled,
    roles: user.roles,
    ...(groups ? { groups } : {}),
    hasPassword: user.passwordHash !== null,
    passwordChangedAt: iso(user.passwordChangedAt),
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
    expiresAt: iso(ap.expiresAt),
    lastUsedAt: iso(ap.lastUsedAt),
    lastUsedProtocol: ap.lastUsedProtocol,
    lastUsedIp: ap.lastUsedIp,
  };
}

export function publicGroup(group: Group, members?: string[]) {
  return { id: group.id, name: group.name, mail: group.mail, aliases: group.aliases, description: group.description, ...(members ? { members } : {}) };
}

export function publicServiceAccount(a: ServiceAccount) {
  return { id: a.id, name: a.name, description: a.description, roles: a.roles, enabled: a.enabled, createdAt: a.createdAt.toISOString() };
}
