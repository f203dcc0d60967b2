import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdentityService } from '../identity/service.js';
import { generateAppPassword } from '../passwords/app-password.js';
import type { IdentityStore } from '../store/store.js';
import { importLdif } from './import.js';
import { LdifError } from './parse.js';
import { BY, fixture, openTestIdentity, storeCounts } from './test-support.js';
import type { TestIdentity } from './test-support.js';

const OPTIONS = { actor: 'test:ldif', source: 'test' };

async function withIdentity(fn: (t: TestIdentity) => Promise<void>): Promise<void> {
  const t = await openTestIdentity();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const rejectsWith = (promise: Promise<unknown>, pattern: RegExp): Promise<void> =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof LdifError, String(error));
    assert.match(error.message, pattern);
    return true;
  });

describe('importLdif: an OpenCloud IDM export', () => {
  let t: TestIdentity;
  before(async () => {
    t = await openTestIdentity();
  });
  after(async () => t.close());

  it('imports users, groups and memberships, keeping ids and skipping system users', async () => {
    const result = await importLdif(t.identity, fixture('opencloud-idm.ldif'), OPTIONS);
    assert.deepEqual(result.domains, ['example.com', 'example.org']);
    assert.deepEqual(result.users, ['admin', 'alice', 'bob', 'carol', 'dave']);
    assert.deepEqual(result.groups, ['users', 'sales', 'new-group']);
    assert.equal(result.memberships, 7);
    assert.deepEqual(result.skipped.map((s) => s.dn), ['uid=libregraph,ou=sysusers,o=libregraph-idm', 'uid=idp,ou=sysusers,o=libregraph-idm']);
    assert.match(result.skipped[0]?.why ?? '', /account, simplesecurityobject/);
    assert.equal(result.dryRun, false);

    const alice = await t.store.findUserByLogin('alice');
    assert.equal(alice?.id, '4c510ada-c86b-4815-8820-42cdf82c3d51');
    assert.equal(alice?.mail, 'alice@example.org');
    assert.deepEqual(alice?.aliases, ['a.hansen@example.org']);
    assert.equal(alice?.displayName, 'Alice Hansen');
    assert.equal(alice?.enabled, true);

    const bob = await t.store.findUserByLogin('bob');
    assert.equal(bob?.id, 'f7fc1a4e-9f3a-4c1b-b0a6-7d4e2b9c8a10');
    assert.equal(bob?.displayName, 'Björn Müller');
    assert.equal(bob?.enabled, false);
    assert.equal(bob?.domain, 'example.com');

    assert.equal((await t.store.findUserByLogin('carol'))?.displayName, 'Carol Kowalski');
    assert.equal((await t.store.findUserByLogin('dave'))?.passwordHash, null);

    const sales = await t.store.findGroupByName('sales');
    assert.equal(sales?.id, '6b1d2a3c-4e5f-4a7b-9c8d-0e1f2a3b4c5d');
    assert.deepEqual((await t.store.listMembers(sales?.id ?? '')).map((u) => u.login).sort(), ['alice', 'carol']);
    const users = await t.store.findGroupByName('users');
    assert.equal(users?.description, 'All users');
    assert.equal((await t.store.listMembers(users?.id ?? '')).length, 5);
    assert.equal((await t.store.listMembers((await t.store.findGroupByName('new-group'))?.id ?? '')).length, 0);

    const audit = await t.store.listAudit({ action: 'ldif.import' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, 'test:ldif');
  });

  it("keeps the users' existing passwords: they verify as they are", async () => {
    const passwords: Record<string, string> = { admin: 'admin-pass-1', alice: 'alice-pass-2', bob: 'bob-pass-3', carol: 'carol-pass-4' };
    for (const [login, password] of Object.entries(passwords)) {
      const user = await t.store.findUserByLogin(login);
      assert.match(user?.passwordHash ?? '', /^\$argon2id\$v=19\$m=65536,t=4,p=4\$/);
      const good = await t.hasher.verify(user?.passwordHash ?? null, password);
      assert.equal(good.ok, true, login);
      assert.equal((await t.hasher.verify(user?.passwordHash ?? null, `${password}x`)).ok, false, login);
    }
  });
});

describe('importLdif: an OpenLDAP directory', () => {
  it('imports {SSHA} and {CRYPT}$6$ hashes, mailAlias, uniqueMember and derives missing mail', () =>
    withIdentity(async (t) => {
      const result = await importLdif(t.identity, fixture('openldap.ldif'), { ...OPTIONS, defaultDomain: 'example.net' });
      assert.deepEqual(result.users, ['erin', 'frank', 'gina']);
      assert.deepEqual(result.skipped, [{ dn: 'cn=Manager,dc=example,dc=net', why: 'object classes organizationalrole are neither a user (inetOrgPerson) nor a group (groupOfNames)' }]);
      const erin = await t.store.findUserByLogin('erin');
      assert.equal(erin?.id, '3f1c2b4a-8d7e-4f6a-9b5c-1d2e3f4a5b6c');
      assert.deepEqual([...(erin?.aliases ?? [])].sort(), ['abuse@example.net', 'postmaster@example.net']);
      assert.equal(erin?.displayName, 'Erin Example');
      assert.equal((await t.hasher.verify(erin?.passwordHash ?? null, 'erin-pass-5')).ok, true);
      const frank = await t.store.findUserByLogin('frank');
      assert.match(frank?.passwordHash ?? '', /^\$6\$/);
      assert.equal((await t.hasher.verify(frank?.passwordHash ?? null, 'frank-pass-6')).ok, true);
      const gina = await t.store.findUserByLogin('gina');
      assert.equal(gina?.mail, 'gina@example.net');
      assert.equal(gina?.enabled, false, 'pwdAccountLockedTime 000001010000Z means disabled');
      const admins = await t.store.findGroupByAddress('admins@example.net');
      assert.deepEqual((await t.store.listMembers(admins?.id ?? '')).map((u) => u.login).sort(), ['erin', 'frank']);
    }));

  it('needs a default domain for users without mail', () =>
    withIdentity(async (t) => {
      await rejectsWith(importLdif(t.identity, fixture('openldap.ldif'), OPTIONS), /\(dn: uid=gina,ou=people,dc=example,dc=net\): no mail; give a default domain/);
      assert.deepEqual(await storeCounts(t.store), { domains: 0, users: 0, groups: 0 });
    }));
});

describe('importLdif: all or nothing', () => {
  it('a broken record late in the file imports nothing', () =>
    withIdentity(async (t) => {
      const text = `${fixture('opencloud-idm.ldif')}\ndn: uid=zed,ou=users,o=libregraph-idm\nobjectClass: inetOrgPerson\nuid: zed\nmail: zed@example.org\nuserPassword:: not*base64\n`;
      await rejectsWith(importLdif(t.identity, text, OPTIONS), /\(dn: uid=zed,ou=users,o=libregraph-idm\): invalid base64 in userPassword$/);
      assert.deepEqual(await storeCounts(t.store), { domains: 0, users: 0, groups: 0 });
    }));

  it('a store failure on the last record rolls back everything written before it', () =>
    withIdentity(async (t) => {
      const failing = failOn(t.store, 'createGroup', (input) => (input as { name?: string }).name === 'new-group');
      const identity = new IdentityService(failing, t.hasher, () => generateAppPassword());
      await rejectsWith(importLdif(identity, fixture('opencloud-idm.ldif'), OPTIONS), /\(dn: cn=new-group,ou=groups,o=libregraph-idm\): injected failure/);
      assert.deepEqual(await storeCounts(t.store), { domains: 0, users: 0, groups: 0 });
      assert.equal((await t.store.listAudit()).length, 0);
    }));

  it('an address already taken in the store names the record and changes nothing', () =>
    withIdentity(async (t) => {
      await t.identity.addDomain('example.org', BY);
      await t.identity.addUser({ mail: 'zed@example.org', aliases: ['a.hansen@example.org'] }, BY);
      const before = await storeCounts(t.store);
      await rejectsWith(importLdif(t.identity, fixture('opencloud-idm.ldif'), OPTIONS), /^line \d+ \(dn: uid=alice,ou=users,o=libregraph-idm\): .*a\.hansen@example\.org.*already taken/);
      assert.deepEqual(await storeCounts(t.store), before);
    }));

  it('a dry run checks everything and keeps nothing', () =>
    withIdentity(async (t) => {
      const result = await importLdif(t.identity, fixture('opencloud-idm.ldif'), { ...OPTIONS, dryRun: true });
      assert.equal(result.dryRun, true);
      assert.equal(result.users.length, 5);
      assert.deepEqual(await storeCounts(t.store), { domains: 0, users: 0, groups: 0 });
    }));
});

describe('importLdif: errors name the record', () => {
  const user = (uid: string, extra: string): string =>
    `dn: uid=${uid},ou=users,o=x\nobjectClass: inetOrgPerson\nobjectClass: openCloudUser\nuid: ${uid}\nmail: ${uid}@example.org\n${extra}`;

  const cases: Array<[string, string, RegExp]> = [
    [
      'a duplicate alias across records',
      `${user('ann', 'mailAlias: info@example.org\n')}\n${user('ben', 'mail: info@example.org\n')}`,
      /^line 13 \(dn: uid=ben,ou=users,o=x\): address "info@example\.org" is already used by uid=ann,ou=users,o=x \(line 6\)$/,
    ],
    ['a duplicate login', `${user('ann', '')}\n${user('ann', '').replace('dn: uid=ann,', 'dn: uid=ann,ou=more,').replace('mail: ann@', 'mail: ann2@')}`, /login "ann" is already used/],
    [
      'a member not in the file',
      `${user('ann', '')}\ndn: cn=team,ou=groups,o=x\nobjectClass: groupOfNames\ncn: team\nmember: uid=ann,ou=users,o=x\nmember: uid=ghost,ou=users,o=x\n`,
      /^line 11 \(dn: cn=team,ou=groups,o=x\): member "uid=ghost,ou=users,o=x" of group "team" is not a user in this file$/,
    ],
    ['an openCloudUUID that is not a UUID', user('ann', 'openCloudUUID: 1234\n'), /^line 6 \(dn: uid=ann,ou=users,o=x\): openCloudUUID "1234" is not a UUID$/],
    ['an invalid enabled flag', user('ann', 'openCloudUserEnabled: yes\n'), /openCloudUserEnabled must be TRUE or FALSE/],
    ['a clear-text password', user('ann', 'userPassword: hunter2\n'), /^line 6 \(dn: uid=ann,ou=users,o=x\): userPassword: .*\(clear-text passwords are not imported\)$/],
    ['an unsupported hash scheme', user('ann', 'userPassword: {CRYPT}abcdefghijklm\n'), /userPassword: unsupported password hash scheme crypt-des/],
    ['an invalid mail', user('ann', 'mail: not-an-address\n'), /^line 6 \(dn: uid=ann,ou=users,o=x\): mail "not-an-address" is invalid/],
  ];
  for (const [name, text, pattern] of cases) {
    it(name, () =>
      withIdentity(async (t) => {
        await rejectsWith(importLdif(t.identity, text, OPTIONS), pattern);
        assert.deepEqual(await storeCounts(t.store), { domains: 0, users: 0, groups: 0 });
      }));
  }

  it('never puts a password into an error', () =>
    withIdentity(async (t) => {
      await assert.rejects(importLdif(t.identity, user('ann', 'userPassword: hunter2\n'), OPTIONS), (error: Error) => !error.message.includes('hunter2'));
    }));
});

/** A store whose `method` throws inside transactions when `when(firstArg)` holds. */
function failOn(store: IdentityStore, method: keyof IdentityStore, when: (arg: unknown) => boolean): IdentityStore {
  const wrap = (inner: IdentityStore): IdentityStore =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'transaction') {
          return <T>(fn: (tx: IdentityStore) => Promise<T>): Promise<T> => target.transaction((tx) => fn(wrap(tx)));
        }
        if (prop === method && typeof value === 'function') {
          return (...args: unknown[]): unknown => {
            if (when(args[0])) return Promise.reject(new Error('injected failure'));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return wrap(store);
}
