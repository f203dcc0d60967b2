/**
 * Who may read what: anonymous clients only the root DSE and schema (unless allowed), service
 * accounts with directory-read everything, users their own entry (or everything when configured).
 */
import type { Config } from '../../config/schema.js';
import type { Viewer } from './directory/directory.js';
import type { BoundIdentity } from './session.js';

/** Roles a service account can hold for the LDAP front end. */
export const Roles = {
  directoryRead: 'directory-read',
  passwordAdmin: 'password-admin',
} as const;

export function viewerFor(identity: BoundIdentity, config: Config['ldap']): Viewer {
  switch (identity.kind) {
    case 'anonymous':
      return config.allowAnonymousSearch ? { sees: 'all' } : { sees: 'public' };
    case 'service':
      return identity.roles.includes(Roles.directoryRead) ? { sees: 'all' } : { sees: 'public' };
    case 'user':
      return config.usersReadDirectory ? { sees: 'all' } : { sees: 'self', login: identity.login };
  }
}
