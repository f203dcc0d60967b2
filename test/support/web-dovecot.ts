/**
 * A real Dovecot whose LDAP passdb (auth_bind) points at Portcullis's own LDAP server, on the web
 * test server's App: what a user does in the pages is what a mail client meets at IMAP login.
 */
import { startLdapServer } from '../../src/frontends/ldap/server.js';
import { curlLogin } from '../peers/clients.js';
import { skipUnless } from '../peers/common.js';
import { startDovecot, type Dovecot } from '../peers/dovecot.js';
import { TEST_ACTOR } from './test-app.js';
import type { WebServer } from './web-harness.js';

const BIND_PASSWORD = 'dovecot-bind-password-1';

/** The web server's config that puts its LDAP server on a free loopback port. */
export const LDAP_ON_LOOPBACK = { ldap: { listen: { host: '127.0.0.1', port: 0 } } } as const;

/** Why Dovecot cannot be used here, or false (in CI never: a missing peer fails there). */
export const dovecotMissing = (): string | false => skipUnless('dovecot', 'dovecot-ldap', 'curl');

export interface MailLogin {
  dovecot: Dovecot;
  /** curl's exit code for an IMAP login: 0 logged in, 67 refused. */
  imap(user: string, password: string): Promise<number | null>;
}

/** Starts Portcullis's LDAP server and a Dovecot binding as the service account "dovecot". Stopped with the app. */
export async function startMailLogin(server: WebServer): Promise<MailLogin> {
  const ldap = await startLdapServer(server.app);
  if (!ldap) throw new Error('the LDAP front end is disabled in this configuration');
  await server.app.identity.addServiceAccount({ name: 'dovecot', password: BIND_PASSWORD, roles: ['directory-read'] }, TEST_ACTOR);
  const base = server.app.config.ldap.baseDn;
  const dovecot = await startDovecot({
    passdb: { driver: 'ldap', uris: `ldap://127.0.0.1:${ldap.port}`, base, dn: `cn=dovecot,ou=services,${base}`, dnpass: BIND_PASSWORD, passFilter: '(&(objectClass=inetOrgPerson)(|(uid=%u)(mail=%u)))' },
  });
  server.app.onClose(() => dovecot.stop());
  return { dovecot, imap: async (user, password) => (await curlLogin('imap', dovecot.imapPort, user, password)).code };
}
