// The LDAP server in-process, driven by ldapts as an independent client: binds, access, search, compare, password modify.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Control, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import { BASE, DN, PASSWORDS, RawLdap, codeOf, simpleBind, startLdapFixture, type LdapFixture } from './ldap-fixture.js';
import { ResultCode } from '../src/frontends/ldap/protocol/index.js';

const WHOAMI = '1.3.6.1.4.1.4203.1.11.3';

async function withClient<T>(f: LdapFixture, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: f.url, timeout: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function bindCode(f: LdapFixture, dn: string, password: string): Promise<number> {
  return withClient(f, async (c) => {
    try {
      await c.bind(dn, password);
      return 0;
    } catch (err) {
      return (err as { code?: number }).code ?? -1;
    }
  });
}

describe('ldap server (ldapts client)', () => {
  let f: LdapFixture;
  before(async () => {
    f = await startLdapFixture({ sizeLimit: 50 }, 120);
  });
  after(() => f.close());

  test('binds: user DN, service DN, bare login, mail address, app password scoped to ldap', async () => {
    assert.equal(await bindCode(f, DN.alice, PASSWORDS.alice), 0);
    assert.equal(await bindCode(f, DN.stalwart, PASSWORDS.service), 0);
    assert.equal(await bindCode(f, 'alice', PASSWORDS.alice), 0);
    assert.equal(await bindCode(f, 'al@example.org', PASSWORDS.alice), 0);
    assert.equal(await bindCode(f, DN.alice, f.appPasswords.alice), 0);
  });

  test('refused binds: wrong password, disabled user, unknown DN, app password without ldap scope, group DN', async () => {
    assert.equal(await bindCode(f, DN.alice, 'wrong password'), ResultCode.invalidCredentials);
    assert.equal(await bindCode(f, DN.carol, PASSWORDS.carol), ResultCode.invalidCredentials);
    assert.equal(await bindCode(f, `uid=nobody,ou=users,${BASE}`, 'whatever pass'), ResultCode.invalidCredentials);
    assert.equal(await bindCode(f, 'uid=alice,ou=users,dc=other,dc=org', PASSWORDS.alice), ResultCode.invalidCredentials);
    assert.equal(await bindCode(f, DN.bob, f.appPasswords.bobImapOnly), ResultCode.invalidCredentials);
    assert.equal(await bindCode(f, DN.staff, 'whatever pass'), ResultCode.invalidCredentials);
  });

  test('an empty password never authenticates and leaves the connection anonymous', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      await assert.rejects(c.bind(DN.alice, ''), (err: { code?: number }) => err.code === ResultCode.unwillingToPerform);
      assert.equal((await c.exop(WHOAMI)).value ?? '', '');
      await assert.rejects(c.search(BASE, { filter: '(uid=alice)' }), (err: { code?: number }) => err.code === ResultCode.insufficientAccessRights);
    });
  });

  test('WhoAmI answers dn:<bind dn>, or empty for anonymous', async () => {
    await withClient(f, async (c) => {
      assert.equal((await c.exop(WHOAMI)).value ?? '', '');
      await c.bind(DN.alice, PASSWORDS.alice);
      assert.equal((await c.exop(WHOAMI)).value, `dn:${DN.alice}`);
      await c.bind('', '');
      assert.equal((await c.exop(WHOAMI)).value ?? '', '');
    });
  });

  test('SASL binds are refused with authMethodNotSupported', async () => {
    await withClient(f, async (c) => {
      await assert.rejects(c.bind('PLAIN', 'x'), (err: { code?: number }) => err.code === ResultCode.authMethodNotSupported);
    });
  });

  test('access: anonymous reads only the root DSE; users their own entry; service accounts everything', async () => {
    await withClient(f, async (c) => {
      const root = await c.search('', { scope: 'base', attributes: ['namingContexts', 'supportedExtension', 'supportedControl', 'vendorName'] });
      assert.equal(root.searchEntries[0]?.namingContexts, BASE);
      assert.equal(root.searchEntries[0]?.vendorName, 'Portcullis');
      await assert.rejects(c.search(BASE, { filter: '(objectClass=*)' }), InsufficientAccess);
      await c.bind(DN.alice, PASSWORDS.alice);
      const own = await c.search(BASE, { filter: '(objectClass=*)' });
      assert.deepEqual(own.searchEntries.map((e) => e.dn), [DN.alice]);
      const other = await c.search(BASE, { filter: '(uid=bob)' });
      assert.equal(other.searchEntries.length, 0);
      await c.bind(DN.nobody, PASSWORDS.service);
      await assert.rejects(c.search(BASE, { filter: '(uid=bob)' }), InsufficientAccess);
      await c.bind(DN.stalwart, PASSWORDS.service);
      const bob = await c.search(BASE, { filter: '(uid=bob)' });
      assert.deepEqual(bob.searchEntries.map((e) => e.dn), [DN.bob]);
    });
  });

  test('user entries: shape, no userPassword, disabled users are not found, case-insensitive names', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      const { searchEntries } = await c.search(`OU=Users,${BASE.toUpperCase()}`, { filter: '(MAIL=Alice@Example.org)', attributes: ['*', '+'] });
      const alice = searchEntries[0];
      assert.ok(alice);
      assert.equal(alice.uid, 'alice');
      assert.equal(alice.cn, 'alice');
      assert.equal(alice.sn, 'Liddell');
      assert.equal(alice.givenName, 'Alice Pleasance');
      assert.equal(alice.mail, 'alice@example.org');
      assert.deepEqual(alice.mailAlias, ['al@example.org', 'postmaster@example.org']);
      assert.equal(alice.memberOf, DN.staff);
      assert.equal(alice.openCloudUserEnabled, 'TRUE');
      assert.match(String(alice.pwdChangeTime), /^\d{14}Z$/);
      assert.equal(alice.pwdChangeTime, alice.pwdChangedTime);
      assert.equal(alice.entryUUID, alice.openCloudUUID);
      assert.ok(alice.createTimestamp);
      assert.equal(alice.userPassword, undefined);
      const carol = await c.search(BASE, { filter: '(|(uid=carol)(mail=carol@example.org))' });
      assert.equal(carol.searchEntries.length, 0);
      await assert.rejects(c.search(DN.carol, { scope: 'base' }), (err: { code?: number }) => err.code === ResultCode.noSuchObject);
      const staff = await c.search(DN.staff, { scope: 'base', attributes: ['member', 'mail', 'mailAlias'] });
      assert.deepEqual(staff.searchEntries[0]?.member, [DN.alice, DN.bob]); // carol (disabled) is left out
    });
  });

  test('scopes, attribute selection (1.1, +, typesOnly) and filters', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      const one = await c.search(BASE, { scope: 'one', attributes: ['1.1'] });
      assert.deepEqual(one.searchEntries.map((e) => e.dn).sort(), [`ou=groups,${BASE}`, `ou=services,${BASE}`, `ou=users,${BASE}`]);
      // ldapts lists requested names as keys; the server sent no attribute at all.
      assert.deepEqual(Object.entries(one.searchEntries[0] ?? {}).filter(([k, v]) => k !== 'dn' && (v as unknown[]).length > 0), []);
      const ops = await c.search(DN.alice, { scope: 'base', attributes: ['+'] });
      assert.ok(ops.searchEntries[0]?.entryUUID);
      assert.equal(ops.searchEntries[0]?.uid, undefined);
      const typesOnly = await c.search(DN.alice, { scope: 'base', attributes: ['mail'], returnAttributeValues: false });
      assert.deepEqual(typesOnly.searchEntries[0]?.mail, []);
      const subs = await c.search(BASE, { filter: '(&(mail=al*@example.org)(!(uid=bob))(displayName=*Pleasance*))', attributes: ['uid'] });
      assert.deepEqual(subs.searchEntries.map((e) => e.uid), ['alice']);
      const approx = await c.search(BASE, { filter: '(sn~=LIDDELL)', attributes: ['uid'] });
      assert.deepEqual(approx.searchEntries.map((e) => e.uid), ['alice']);
      const ge = await c.search(`ou=users,${BASE}`, { scope: 'one', filter: '(&(uid>=user118)(uid<=user119))', attributes: ['uid'] });
      assert.deepEqual(ge.searchEntries.map((e) => e.uid), ['user118', 'user119']);
      const ext = await c.search(BASE, { filter: '(uid:caseExactMatch:=alice)', attributes: ['uid'] });
      assert.deepEqual(ext.searchEntries.map((e) => e.uid), ['alice']);
      const members = await c.search(BASE, { filter: new EqualityFilter({ attribute: 'member', value: DN.alice.toUpperCase() }), attributes: ['cn'] });
      assert.deepEqual(members.searchEntries.map((e) => e.cn), ['staff']);
    });
  });

  test('size limits: the smaller of the client and server caps, then sizeLimitExceeded', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      // ldapts hands back the entries of a sizeLimitExceeded search when the client set the limit.
      assert.equal((await c.search(`ou=users,${BASE}`, { scope: 'one', sizeLimit: 5 })).searchEntries.length, 5);
      await assert.rejects(c.search(`ou=users,${BASE}`, { scope: 'one' }), (err: { code?: number }) => err.code === ResultCode.sizeLimitExceeded);
    });
  });

  test('paged results walk past the server size cap, page by page', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      const dns: string[] = [];
      let pages = 0;
      for await (const page of c.searchPaginated(`ou=users,${BASE}`, { scope: 'one', paged: { pageSize: 30 }, attributes: ['uid'] })) {
        pages++;
        dns.push(...page.searchEntries.map((e) => e.dn));
      }
      assert.equal(dns.length, 122); // alice, bob and 120 users; carol is disabled
      assert.equal(new Set(dns).size, 122);
      assert.equal(pages, 5);
    });
  });

  test('compare, writes refused, unknown critical control refused', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      assert.equal(await c.compare(DN.alice, 'mail', 'ALICE@example.org'), true);
      assert.equal(await c.compare(DN.alice, 'mailAlias', 'bob@example.org'), false);
      await assert.rejects(c.compare(DN.alice, 'userPassword', PASSWORDS.alice), (err: { code?: number }) => err.code === ResultCode.noSuchAttribute);
      await assert.rejects(c.del(DN.bob), (err: { code?: number }) => err.code === ResultCode.unwillingToPerform);
      await assert.rejects(c.add(`uid=eve,ou=users,${BASE}`, { objectClass: 'inetOrgPerson', uid: 'eve' }), (err: { code?: number }) => err.code === ResultCode.unwillingToPerform);
      const critical = new Control('1.2.3.4.5.6', { critical: true });
      await assert.rejects(c.search(BASE, { filter: '(uid=alice)' }, critical), (err: { code?: number }) => err.code === ResultCode.unavailableCriticalExtension);
      const optional = new Control('1.2.3.4.5.6', { critical: false });
      assert.equal((await c.search(BASE, { filter: '(uid=alice)' }, optional)).searchEntries.length, 1);
    });
  });

  test('overlapping binds on one connection: each answered with its own result, the last one wins', async () => {
    const raw = await RawLdap.open(f.server.port);
    try {
      raw.send(1, simpleBind(DN.alice, 'wrong password'));
      raw.send(2, simpleBind(DN.bob, PASSWORDS.bob));
      raw.send(3, simpleBind(DN.alice, ''));
      raw.send(4, simpleBind(DN.stalwart, PASSWORDS.service));
      raw.send(5, { type: 'extendedRequest', requestName: WHOAMI });
      const got = await raw.waitFor(5);
      const byId = new Map(got.map((m) => [m.messageId, m]));
      assert.equal(codeOf(byId.get(1)), ResultCode.invalidCredentials);
      assert.equal(codeOf(byId.get(2)), ResultCode.success);
      assert.equal(codeOf(byId.get(3)), ResultCode.unwillingToPerform);
      assert.equal(codeOf(byId.get(4)), ResultCode.success);
      const who = byId.get(5)?.protocolOp as { responseValue?: Buffer };
      assert.equal(who.responseValue?.toString(), `dn:${DN.stalwart}`);
    } finally {
      raw.destroy();
    }
  });

  test('a re-bind right after a failed bind (49) works on the same connection (Dovecot)', async () => {
    await withClient(f, async (c) => {
      await c.bind(DN.stalwart, PASSWORDS.service);
      await assert.rejects(c.bind(DN.alice, 'wrong password'), InvalidCredentialsError);
      await c.bind(DN.stalwart, PASSWORDS.service);
      assert.equal((await c.search(BASE, { filter: '(uid=bob)' })).searchEntries.length, 1);
      await c.bind(DN.bob, PASSWORDS.bob);
      assert.equal((await c.exop(WHOAMI)).value, `dn:${DN.bob}`);
    });
  });
});

function InsufficientAccess(err: { code?: number }): boolean {
  return err.code === ResultCode.insufficientAccessRights;
}
