// Real OpenLDAP command-line clients (ldapsearch, ldapwhoami, ldappasswd) against an in-process Portcullis.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ldapPasswd, ldapSearch, ldapWhoami, run } from './peers/clients.js';
import { skipUnless } from './peers/common.js';
import { BASE, DN, PASSWORDS, startLdapFixture, type LdapFixture } from './ldap-fixture.js';

const skip = skipUnless('ldap-utils');

describe('ldap-utils against Portcullis', { skip }, () => {
  let f: LdapFixture;
  before(async () => {
    f = await startLdapFixture();
  });
  after(() => f?.close());

  test('ldapwhoami: user, service account, app password, wrong password, empty password', async () => {
    const alice = await ldapWhoami({ url: f.url, bindDn: DN.alice, password: PASSWORDS.alice });
    assert.equal(alice.code, 0, alice.stderr);
    assert.equal(alice.stdout.trim(), `dn:${DN.alice}`);
    const service = await ldapWhoami({ url: f.url, bindDn: DN.stalwart, password: PASSWORDS.service });
    assert.equal(service.stdout.trim(), `dn:${DN.stalwart}`);
    const app = await ldapWhoami({ url: f.url, bindDn: 'alice@example.org', password: f.appPasswords.alice });
    assert.equal(app.stdout.trim(), `dn:${DN.alice}`);
    const wrong = await ldapWhoami({ url: f.url, bindDn: DN.alice, password: 'wrong password' });
    assert.equal(wrong.code, 49);
    const empty = await ldapWhoami({ url: f.url, bindDn: DN.alice, password: '' });
    assert.notEqual(empty.code, 0);
    const anonymous = await ldapWhoami({ url: f.url });
    assert.equal(anonymous.code, 0);
    assert.equal(anonymous.stdout.trim(), 'anonymous');
  });

  test('ldapsearch: root DSE anonymously, the directory as a service account, userPassword never', async () => {
    const root = await ldapSearch({ url: f.url }, { base: '', scope: 'base', attrs: ['+'] });
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, new RegExp(`namingContexts: ${BASE}`));
    assert.match(root.stdout, /supportedExtension: 1\.3\.6\.1\.4\.1\.4203\.1\.11\.1/);
    const denied = await ldapSearch({ url: f.url }, { base: BASE, filter: '(uid=alice)' });
    assert.equal(denied.code, 50);
    const svc = { url: f.url, bindDn: DN.stalwart, password: PASSWORDS.service };
    const alice = await ldapSearch(svc, { base: BASE, filter: '(mail=alice@example.org)', attrs: ['*', 'userPassword', 'entryUUID'] });
    assert.equal(alice.code, 0, alice.stderr);
    assert.match(alice.stdout, /^dn: uid=alice,ou=users,dc=example,dc=org$/m);
    assert.match(alice.stdout, /^mailAlias: al@example\.org$/m);
    assert.match(alice.stdout, /^memberOf: cn=staff,ou=groups,dc=example,dc=org$/m);
    assert.match(alice.stdout, /^entryUUID: [0-9a-f-]{36}$/m);
    assert.doesNotMatch(alice.stdout, /userPassword/i);
    const all = await ldapSearch(svc, { base: BASE, filter: '(objectClass=*)', attrs: ['1.1'] });
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.match(/^dn: /gm)?.length, 4 + 2 + 2 + 3); // base, 3 ou, alice, bob, staff, nomail, 3 services
  });

  test('ldappasswd: own password with the old one; an admin generates one; policy refusals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-pw-'));
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text, { mode: 0o600 });
      return join(dir, name);
    };
    try {
      const args = ['-x', '-H', f.url, '-D', DN.alice, '-y', file('bind', PASSWORDS.alice)];
      const changed = await run('ldappasswd', [...args, '-t', file('old', PASSWORDS.alice), '-T', file('new', 'alice new password 9')]);
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal((await ldapWhoami({ url: f.url, bindDn: DN.alice, password: 'alice new password 9' })).code, 0);
      assert.equal((await ldapWhoami({ url: f.url, bindDn: DN.alice, password: PASSWORDS.alice })).code, 49);
      const wrongOld = await run('ldappasswd', ['-x', '-H', f.url, '-D', DN.alice, '-y', file('bind2', 'alice new password 9'), '-t', file('old2', 'not it at all'), '-T', file('new2', 'another new password')]);
      assert.match(wrongOld.stdout, /Invalid credentials \(49\)/); // ldappasswd exits 1 for any refused exop
      const tooShort = await run('ldappasswd', ['-x', '-H', f.url, '-D', DN.alice, '-y', file('bind3', 'alice new password 9'), '-t', file('old3', 'alice new password 9'), '-T', file('new3', 'short')]);
      assert.match(tooShort.stdout, /Constraint violation \(19\)\nAdditional info: expected at least 10 characters/);
      const notAdmin = await ldapPasswd({ url: f.url, bindDn: DN.alice, password: 'alice new password 9' }, DN.bob, 'bob new password 1');
      assert.match(notAdmin.stdout, /Insufficient access \(50\)/);
      const generated = await ldapPasswd({ url: f.url, bindDn: DN.pwadmin, password: PASSWORDS.admin }, DN.bob);
      assert.equal(generated.code, 0, generated.stderr);
      const newPassword = /New password: (\S+)/.exec(generated.stdout)?.[1];
      assert.ok(newPassword, generated.stdout);
      assert.equal((await ldapWhoami({ url: f.url, bindDn: DN.bob, password: newPassword })).code, 0);
      const audit = await f.app.store.listAudit({ action: 'user.password' });
      assert.ok(audit.some((a) => a.actor === `ldap:${DN.pwadmin}` && a.target === 'user:bob'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
