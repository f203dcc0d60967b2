/** How local users and service accounts appear to front ends. */
import type { ServiceAccount, User } from '../../identity/model.js';
import type { Account } from '../../pipeline/decision.js';

export function userAccount(user: User, groups: string[]): Account {
  return {
    kind: 'user',
    id: user.id,
    uid: user.login,
    mail: user.mail,
    aliases: user.aliases,
    displayName: user.displayName,
    groups,
    roles: user.roles,
    backend: 'local',
  };
}

export function serviceAccount(account: ServiceAccount): Account {
  return {
    kind: 'service',
    id: account.id,
    uid: account.name,
    mail: null,
    aliases: [],
    displayName: account.description || account.name,
    groups: [],
    roles: account.roles,
    backend: 'local',
  };
}
