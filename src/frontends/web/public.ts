/** How entities leave the web APIs: never a hash, a secret or an internal counter. */
import type { AppPassword, AuditEntry, Group, ServiceAccount, User } from '../../identity/model.js';
import type { ListEntry } from '../../guard/state/state.js';
import type { LoginRecord } from '../../store/web-store.js';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

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

export function publicAudit(e: AuditEntry) {
  return { id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, source: e.source, detail: e.detail };
}

export function publicEntry(e: ListEntry) {
  return {
    id: e.id,
    list: e.list,
    target: e.target,
    rule: e.rule,
    reason: e.reason,
    createdAt: new Date(e.createdAt).toISOString(),
    expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt).toISOString(),
    offences: e.offences,
  };
}

export function publicLogin(r: LoginRecord) {
  return { at: r.at.toISOString(), protocol: r.protocol, frontEnd: r.frontEnd, clientIp: r.clientIp, success: r.success, detail: r.detail };
}
