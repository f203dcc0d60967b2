/**
 * Which account a bind names. `uid=<login>,ou=users,<base>` is a user, `cn=<name>,ou=services,<base>`
 * a service account. A name without `=` is taken as a login or mail address as typed (Dovecot
 * with auth_bind_userdn=%u, Keycloak setups binding as user@domain): the pipeline resolves it as
 * every other front end's login. Any other DN names nobody; it still goes through the pipeline
 * (as a login no account can have) so it costs what a wrong password costs and is counted.
 */
import { parseDn } from './dn-cache.js';
import type { Dn } from './protocol/index.js';
import type { DirectoryNames } from './directory/names.js';

export interface BindTarget {
  login: string;
  accountKind: 'user' | 'service';
}

export function bindTarget(name: string, names: DirectoryNames): BindTarget {
  if (!name.includes('=')) return { login: name.trim(), accountKind: 'user' };
  let dn: Dn;
  try {
    dn = parseDn(name);
  } catch {
    return { login: name, accountKind: 'user' };
  }
  const located = names.locate(dn);
  if (located.kind === 'user') return { login: located.login, accountKind: 'user' };
  if (located.kind === 'service') return { login: located.name, accountKind: 'service' };
  // Logins cannot contain '=' or ',', so the DN itself can never match an account.
  return { login: name, accountKind: 'user' };
}
