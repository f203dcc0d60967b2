// A real Dovecot with an LDAP passdb (auth_bind = yes) pointed at Portcullis; IMAP and POP3 logins with curl.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { curlLogin } from './peers/clients.js';
import { skipUnless } from './peers/common.js';
import { startDovecot, type Dovecot } from './peers/dovecot.js';
import { BASE, DN, PASSWORDS, startLdapFixture, type LdapFixture } from './ldap-fixture.js';

const skip = skipUnless('dovecot', 'dovecot-ldap', 'curl');

describe('Dovecot LDAP passdb (auth_bind) against Portcullis', { skip }, () => {
  let f: LdapFixture;
  let dovecot: Dovecot;
  before(async () => {
    f = await startLdapFixture();
    dovecot = await startDovecot({
      passdb: {
        driver: 'ldap',
        uris: f.url,
        base: BASE,
        dn: DN.stalwart,
        dnpass: PASSWORDS.service,
        // Nested &/| as Dovecot setups write them: login by uid or by mail.
        passFilter: '(&(objectClass=inetOrgPerson)(|(uid=%u)(mail=%u)))',
      },
    });
  });
  after(async () => {
    await dovecot?.stop();
    await f?.close();
  });

  const login = async (protocol: 'imap' | 'pop3', user: string, password: string): Promise<number | null> => {
    const port = protocol === 'imap' ? dovecot.imapPort : dovecot.pop3Port;
    return (await curlLogin(protocol, port, user, password)).code;
  };

  test('primary password over IMAP and POP3, by login and by mail address', async () => {
    assert.equal(await login('imap', 'alice', PASSWORDS.alice), 0, dovecot.logTail());
    assert.equal(await login('pop3', 'alice', PASSWORDS.alice), 0, dovecot.logTail());
    assert.equal(await login('imap', 'bob@example.org', PASSWORDS.bob), 0, dovecot.logTail());
  });

  test('an app password allowed for ldap works; one scoped to imap only does not (the bind is LDAP)', async () => {
    assert.equal(await login('imap', 'alice', f.appPasswords.alice), 0, dovecot.logTail());
    assert.equal(await login('pop3', 'alice', f.appPasswords.alice), 0, dovecot.logTail());
    assert.equal(await login('imap', 'bob', f.appPasswords.bobImapOnly), 67);
  });

  test('wrong passwords, disabled and unknown users are refused; good logins keep working after them', async () => {
    assert.equal(await login('imap', 'alice', 'wrong password'), 67);
    assert.equal(await login('imap', 'alice', PASSWORDS.alice), 0, dovecot.logTail());
    assert.equal(await login('pop3', 'bob', 'wrong password'), 67);
    assert.equal(await login('imap', 'carol', PASSWORDS.carol), 67);
    assert.equal(await login('imap', 'nobody', 'whatever pass'), 67);
    assert.equal(await login('pop3', 'bob', PASSWORDS.bob), 0, dovecot.logTail());
  });
});
