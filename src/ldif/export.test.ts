import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { IdentityStore } from '../store/store.js';
import { exportLdif, ldapPasswordValue } from './export.js';
import { importLdif } from './import.js';
import { parseLdif } from './parse.js';
import { BY, openTestIdentity } from './test-support.js';
import type { TestIdentity } from './test-support.js';

const ANNA_PASSWORD = 'correct horse battery staple 42';
const BEN_PASSWORD = 'ben-legacy-ssha';
// sha512-crypt of "frank-pass-6" (python3 crypt), stored untagged as Portcullis keeps crypt strings.
const SHA512_CRYPT = '$6$3n0iFgezjByV0gwR$7oe777Eh/1zfVhMaUcfAU2pRwCDiXuilMuWENwBYKig8zytxa5t98kmaxZfABWMqA4ca8w6tCPQTmoPunmVft1';

function ssha(password: string): string {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
}

async function populate(t: TestIdentity): Promise<void> {
  const { identity } = t;
  await identity.addDomain('example.org', BY);
  await identity.addDomain('example.com', BY);
  await identity.addUser({ mail: 'anna@example.org', displayName: 'Anna Ärger', password: ANNA_PASSWORD, aliases: ['info@example.org', 'a.b@example.com'] }, BY);
  await identity.addUser({ mail: 'ben@example.com', displayName: 'Ben', passwordHash: ssha(BEN_PASSWORD), enabled: false }, BY);
  await identity.addUser({ mail: 'cleo@example.org', displayName: 'Cleo de la Cruz', passwordHash: SHA512_CRYPT }, BY);
  await identity.addUser({ mail: 'dan@example.org', login: 'dan+test', displayName: 'Dan' }, BY);
  await identity.addGroup({ name: 'team', mail: 'team@example.org', aliases: ['crew@example.org'], description: 'The team, all of it' }, BY);
  await identity.addGroup({ name: 'empty' }, BY);
  for (const login of ['anna', 'ben', 'dan+test']) await identity.setMembership('team', login, true, BY);
}

/** Everything an export carries, in a comparable form. */
async function snapshot(store: IdentityStore, withIds: boolean): Promise<unknown> {
  const users = (await store.listUsers()).sort((a, b) => a.login.localeCompare(b.login));
  const groups = (await store.listGroups()).sort((a, b) => a.name.localeCompare(b.name));
  return {
    users: users.map((u) => ({
      ...(withIds ? { id: u.id } : {}),
      login: u.login,
      mail: u.mail,
      aliases: [...u.aliases].sort(),
      displayName: u.displayName,
      enabled: u.enabled,
      passwordHash: u.passwordHash === null ? null : ldapPasswordValue(u.passwordHash),
    })),
    groups: await Promise.all(
      groups.map(async (g) => ({
        ...(withIds ? { id: g.id } : {}),
        name: g.name,
        mail: g.mail,
        aliases: [...g.aliases].sort(),
        description: g.description,
        members: (await store.listMembers(g.id)).map((u) => u.login).sort(),
      })),
    ),
  };
}

describe('exportLdif', () => {
  let source: TestIdentity;
  before(async () => {
    source = await openTestIdentity();
    await populate(source);
  });
  after(async () => source.close());

  it('writes the OpenCloud IDM shape', async () => {
    const text = await exportLdif(source.store, { baseDn: 'o=libregraph-idm', shape: 'opencloud' });
    for (const line of text.split('\n')) assert.ok(line.length <= 76, line);
    const records = parseLdif(text);
    const byDn = new Map(records.map((r) => [r.dn, r]));
    const values = (dn: string, type: string): string[] => (byDn.get(dn)?.attributes ?? []).filter((a) => a.type === type).map((a) => a.value);

    assert.deepEqual(records.slice(0, 3).map((r) => r.dn), ['o=libregraph-idm', 'ou=users,o=libregraph-idm', 'ou=groups,o=libregraph-idm']);
    const anna = 'uid=anna,ou=users,o=libregraph-idm';
    assert.deepEqual(values(anna, 'objectclass'), ['inetOrgPerson', 'organizationalPerson', 'person', 'top', 'openCloudUser']);
    assert.deepEqual(values(anna, 'mail'), ['anna@example.org', 'a.b@example.com', 'info@example.org']);
    assert.deepEqual(values(anna, 'displayname'), ['Anna Ärger']);
    assert.equal(values(anna, 'openclouduuid')[0], (await source.store.findUserByLogin('anna'))?.id);
    assert.deepEqual(values(anna, 'openclouduserenabled'), ['TRUE']);
    assert.match(values(anna, 'userpassword')[0] ?? '', /^\{ARGON2\}\$argon2id\$v=19\$/);
    const ben = 'uid=ben,ou=users,o=libregraph-idm';
    assert.deepEqual(values(ben, 'openclouduserenabled'), ['FALSE']);
    assert.match(values(ben, 'userpassword')[0] ?? '', /^\{SSHA\}/);
    assert.deepEqual(values('uid=cleo,ou=users,o=libregraph-idm', 'userpassword'), [`{CRYPT}${SHA512_CRYPT}`]);
    assert.deepEqual(values('uid=dan\\+test,ou=users,o=libregraph-idm', 'userpassword'), []);

    const team = 'cn=team,ou=groups,o=libregraph-idm';
    assert.deepEqual(values(team, 'objectclass'), ['groupOfNames', 'top', 'openCloudObject', 'extensibleObject']);
    assert.deepEqual(values(team, 'member'), ['uid=anna,ou=users,o=libregraph-idm', 'uid=ben,ou=users,o=libregraph-idm', 'uid=dan\\+test,ou=users,o=libregraph-idm']);
    assert.deepEqual(values(team, 'mail'), ['team@example.org', 'crew@example.org']);
    assert.equal(values(team, 'openclouduuid')[0], (await source.store.findGroupByName('team'))?.id);
    assert.deepEqual(values('cn=empty,ou=groups,o=libregraph-idm', 'member'), ['']);
  });

  it('writes a plain OpenLDAP shape without OpenCloud attributes', async () => {
    const text = await exportLdif(source.store, { baseDn: 'dc=example,dc=org', shape: 'openldap' });
    assert.doesNotMatch(text, /openCloud|entryUUID/i);
    const records = parseLdif(text);
    assert.equal(records[0]?.dn, 'dc=example,dc=org');
    const ben = records.find((r) => r.dn === 'uid=ben,ou=users,dc=example,dc=org');
    assert.deepEqual(ben?.attributes.filter((a) => a.type === 'pwdaccountlockedtime').map((a) => a.value), ['000001010000Z']);
    const cleo = records.find((r) => r.dn === 'uid=cleo,ou=users,dc=example,dc=org');
    assert.deepEqual(cleo?.attributes.filter((a) => a.type === 'cn' || a.type === 'sn').map((a) => a.value), ['Cleo de la Cruz', 'Cruz']);
  });

  for (const shape of ['opencloud', 'openldap'] as const) {
    it(`round-trips through import into an empty store (${shape})`, async () => {
      const baseDn = shape === 'opencloud' ? 'o=libregraph-idm' : 'dc=example,dc=org';
      const text = await exportLdif(source.store, { baseDn, shape });
      const target = await openTestIdentity();
      try {
        const result = await importLdif(target.identity, text, { actor: 'test', source: null });
        assert.deepEqual(result.skipped, []);
        assert.equal(result.memberships, 3);
        const withIds = shape === 'opencloud';
        assert.deepEqual(await snapshot(target.store, withIds), await snapshot(source.store, withIds));
        assert.equal(await exportLdif(target.store, { baseDn, shape }), text, 'a second export is identical');
        const check = async (login: string, password: string): Promise<void> => {
          const user = await target.store.findUserByLogin(login);
          assert.equal((await target.hasher.verify(user?.passwordHash ?? null, password)).ok, true, login);
        };
        await check('anna', ANNA_PASSWORD);
        await check('ben', BEN_PASSWORD);
        await check('cleo', 'frank-pass-6');
      } finally {
        await target.close();
      }
    });
  }
});
