/** Protocol names as callers spell them, mapped onto Portcullis's protocols (which scope app passwords). */
import type { Protocol } from '../../identity/model.js';

const ALIASES: Record<string, Protocol> = {
  imap: 'imap', imaps: 'imap',
  pop3: 'pop3', pop3s: 'pop3', pop: 'pop3',
  smtp: 'smtp', smtps: 'smtp', submission: 'smtp', submissions: 'smtp', esmtp: 'smtp',
  sieve: 'sieve', managesieve: 'sieve',
  dav: 'dav', caldav: 'dav', carddav: 'dav', webdav: 'dav',
  jmap: 'jmap',
  ldap: 'ldap', ldaps: 'ldap',
  http: 'http', https: 'http', default: 'http', api: 'http',
  web: 'web', webmail: 'web',
  oidc: 'oidc', oauth: 'oidc', oauth2: 'oidc', 'ory-hydra': 'oidc', idp: 'oidc',
};

/**
 * null for a name we do not know: callers get a 400 rather than a guessed protocol, because the
 * protocol decides which app passwords may log in.
 */
export function mapProtocol(name: string | undefined, fallback: Protocol): Protocol | null {
  if (name === undefined || name.trim() === '') return fallback;
  return Object.hasOwn(ALIASES, name.trim().toLowerCase()) ? (ALIASES[name.trim().toLowerCase()] ?? null) : null;
}

export const KNOWN_PROTOCOL_NAMES = Object.keys(ALIASES);
