import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IdentityService } from '../../../identity/service.js';
import { openStore } from '../../../store/open.js';
import type { IdentityStore } from '../../../store/store.js';
import { viewerFor } from '../access.js';
import { bindTarget } from '../bind-dn.js';
import { Dn, SearchScope, parseFilter } from '../protocol/index.js';
import { Directory, type Viewer } from './directory.js';
import { generalizedTime } from './entry.js';
import { matchesFilter } from './filter-eval.js';
import { DirectoryNames } from './names.js';
import { planFor } from './plan.js';
import { needsFor, parseSelection, selectAttributes } from './select.js';
import { splitName, userEntry } from './shape.js';

const BASE = 'dc=example,dc=org';
const names = new DirectoryNames(BASE);
const MAILBOX = '(|(&(objectClass=inetOrgPerson)(|(mail=?)(mailAlias=?)))(&(objectClass=groupOfNames)(|(mail=?)(mailAlias=?))))';
const f = (text: string) => parseFilter(text);

const aliceUser = {
  id: '8c8a6f3e-7b0e-4d0b-9d6b-0c4c0c1f2a11', login: 'alice', domain: 'example.org', mail: 'alice@example.org', aliases: ['al@example.org'],
  displayName: 'Alice Liddell', enabled: true, roles: [], passwordHash: 'x', passwordChangedAt: new Date('2025-01-02T03:04:05Z'),
  credentialVersion: 0, createdAt: new Date('2024-01-01T00:00:00Z'), updatedAt: new Date('2025-01-02T03:04:05Z'),
};
const staff = { id: 'g', name: 'staff', domain: null, mail: null, aliases: [], description: '', createdAt: new Date(), updatedAt: new Date() };
const alice = userEntry(names, aliceUser, [staff]);

describe('entry shaping', () => {
  test('sn and givenName from the display name', () => {
    assert.deepEqual(splitName('Alice Pleasance Liddell', 'alice'), { sn: 'Liddell', givenName: 'Alice Pleasance' });
    assert.deepEqual(splitName('Bob', 'bob'), { sn: 'Bob', givenName: null });
    assert.deepEqual(splitName('  ', 'bob'), { sn: 'bob', givenName: null });
  });

  test('a user entry: both password-change names, memberOf DNs, no userPassword', () => {
    assert.equal(alice.dn, 'uid=alice,ou=users,dc=example,dc=org');
    assert.deepEqual(alice.attributes.get('pwdchangetime')?.values, ['20250102030405Z']);
    assert.deepEqual(alice.attributes.get('pwdchangedtime')?.values, ['20250102030405Z']);
    assert.equal(alice.attributes.get('pwdchangedtime')?.operational, true);
    assert.deepEqual(alice.attributes.get('memberof')?.values, ['cn=staff,ou=groups,dc=example,dc=org']);
    assert.equal(alice.attributes.has('userpassword'), false);
    assert.equal(generalizedTime(new Date('2025-12-31T23:59:59.999Z')), '20251231235959Z');
  });

  test('a named selection of a user entry (computed per attribute) is the full entry filtered, in the same order', () => {
    const lists = [['objectclass', 'mail', 'mailalias', 'memberof', 'pwdchangetime'], ['CN', 'uid', 'entryUUID', 'modifyTimestamp', 'nope'], ['sn']];
    for (const list of lists) {
      const fresh = userEntry(names, { ...aliceUser }, [staff]);
      const named = selectAttributes(fresh, parseSelection(list), false);
      const all = selectAttributes(alice, parseSelection(['*', '+']), false);
      const wanted = new Map(list.map((name) => [name.toLowerCase(), name]));
      const expected = all.filter((a) => wanted.has(a.type.toLowerCase())).map((a) => ({ type: wanted.get(a.type.toLowerCase()), values: a.values }));
      assert.deepEqual(named, expected, list.join(','));
    }
  });
});

describe('filter evaluation', () => {
  const cases: Array<[string, boolean]> = [
    ['(objectClass=*)', true],
    ['(OBJECTCLASS=InetOrgPerson)', true],
    ['(mail=ALICE@example.org)', true],
    ['(mailAlias=al@example.org)', true],
    ['(mail=al@example.org)', false],
    ['(memberOf=CN=Staff,OU=Groups,DC=Example,DC=Org)', true],
    ['(&(uid=alice)(!(uid=bob)))', true],
    ['(|(uid=bob)(cn=alice))', true],
    ['(displayName=*ce Lid*)', true],
    ['(displayName=Ali*ell)', true],
    ['(displayName=Ali*x*ell)', false],
    ['(pwdChangedTime>=20250101000000Z)', true],
    ['(pwdChangedTime<=20250101000000Z)', false],
    ['(sn~=liddell)', true],
    ['(userPassword=*)', false],
    ['(uid:caseExactMatch:=Alice)', false],
    ['(uid:2.5.13.2:=ALICE)', true],
    ['(:dn:2.5.13.2:=users)', true],
    ['(unknownAttr=x)', false],
    ['(!(unknownAttr=x))', false], // NOT Undefined stays Undefined
    ['(&)', true],
    ['(|)', false],
  ];
  for (const [text, expected] of cases) {
    test(`${text} → ${expected}`, () => assert.equal(matchesFilter(f(text), alice), expected));
  }

  test('an injected value is data: `*)(uid=*` as an equality value matches nothing', () => {
    const filter = { type: 'equality' as const, attribute: 'uid', value: Buffer.from('*)(uid=*') };
    assert.equal(matchesFilter(filter, alice), false);
  });
});

describe('candidate planning', () => {
  test("Stalwart's filterMailbox uses address look-ups for users and groups, never a scan", () => {
    const filter = f(MAILBOX.split('?').join('x@example.org'));
    assert.deepEqual(planFor(filter, 'user'), { all: false, keys: [{ by: 'address', value: 'x@example.org' }] });
    assert.deepEqual(planFor(filter, 'group'), { all: false, keys: [{ by: 'address', value: 'x@example.org' }] });
    assert.deepEqual(planFor(filter, 'service'), { all: false, keys: [] });
  });

  test('filterLogin, member and uuid look-ups; scans only without an indexed assertion', () => {
    assert.deepEqual(planFor(f('(&(objectClass=inetOrgPerson)(mail=A@x.org))'), 'user'), { all: false, keys: [{ by: 'address', value: 'a@x.org' }] });
    assert.deepEqual(planFor(f('(&(objectClass=groupOfNames)(member=uid=a,ou=users,dc=x))'), 'group'), { all: false, keys: [{ by: 'memberDn', value: 'uid=a,ou=users,dc=x' }] });
    assert.deepEqual(planFor(f('(entryUUID=abc)'), 'user'), { all: false, keys: [{ by: 'id', value: 'abc' }] });
    assert.deepEqual(planFor(f('(objectClass=*)'), 'user'), { all: true });
    assert.deepEqual(planFor(f('(!(uid=a))'), 'user'), { all: true });
    assert.deepEqual(planFor(f('(|(uid=a)(sn=b))'), 'user'), { all: true });
    assert.deepEqual(planFor(f('(&(objectClass=groupOfNames)(sn=b))'), 'user'), { all: false, keys: [] });
  });
});

describe('selection and access', () => {
  test('named attributes come back spelled as asked; * and + by kind; 1.1 alone selects none', () => {
    const picked = selectAttributes(alice, parseSelection(['mailalias', 'ENTRYUUID']), false).map((a) => a.type);
    assert.deepEqual(picked.sort(), ['ENTRYUUID', 'mailalias']);
    const star = selectAttributes(alice, parseSelection(['*']), false).map((a) => a.type);
    assert.ok(star.includes('mailAlias') && !star.includes('entryUUID'));
    const plus = selectAttributes(alice, parseSelection(['+']), false).map((a) => a.type);
    assert.ok(plus.includes('entryUUID') && !plus.includes('mail'));
    assert.deepEqual(selectAttributes(alice, parseSelection(['1.1']), false), []);
    assert.deepEqual(needsFor(f('(mail=x)'), parseSelection(['mail'])), { memberOf: false, member: false });
    assert.deepEqual(needsFor(f('(mail=x)'), parseSelection([])), { memberOf: true, member: true });
  });

  test('viewers and bind targets', () => {
    const config = { allowAnonymousSearch: false, usersReadDirectory: false } as Parameters<typeof viewerFor>[1];
    assert.deepEqual(viewerFor({ kind: 'anonymous' }, config), { sees: 'public' });
    assert.deepEqual(viewerFor({ kind: 'service', dn: 'x', name: 's', roles: ['directory-read'] }, config), { sees: 'all' });
    assert.deepEqual(viewerFor({ kind: 'service', dn: 'x', name: 's', roles: [] }, config), { sees: 'public' });
    assert.deepEqual(viewerFor({ kind: 'user', dn: 'x', login: 'a', id: 'i', roles: [] }, config), { sees: 'self', login: 'a' });
    assert.deepEqual(bindTarget('UID=Alice,OU=Users,DC=Example,DC=Org', names), { login: 'alice', accountKind: 'user' });
    assert.deepEqual(bindTarget('cn=stalwart,ou=services,dc=example,dc=org', names), { login: 'stalwart', accountKind: 'service' });
    assert.deepEqual(bindTarget('alice@example.org', names), { login: 'alice@example.org', accountKind: 'user' });
    assert.deepEqual(bindTarget('cn=staff,ou=groups,dc=example,dc=org', names), { login: 'cn=staff,ou=groups,dc=example,dc=org', accountKind: 'user' });
    assert.deepEqual(names.locate(Dn.parse('uid=x,ou=nowhere,dc=example,dc=org')), { kind: 'missing', matched: BASE });
  });
});

describe('directory over a store', () => {
  let store: IdentityStore;
  let directory: Directory;
  const calls = { listUsers: 0 };
  before(async () => {
    const real = await openStore({ driver: 'sqlite', sqlitePath: ':memory:', postgresUrl: '', postgresPoolSize: 1 });
    await real.migrate();
    const identity = new IdentityService(real, { hash: async () => 'hash' }, () => 'unused');
    const by = { actor: 'test', source: null };
    await identity.addDomain('example.org', by);
    for (let i = 0; i < 30; i++) await identity.addUser({ mail: `u${i}@example.org`, passwordHash: null }, by);
    await identity.addGroup({ name: 'staff', mail: 'staff@example.org' }, by);
    await identity.setMembership('staff', 'u1', true, by);
    // Counts scans, to prove the hot paths never make one.
    store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'listUsers') calls.listUsers++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    directory = new Directory(store, BASE, { startTls: false, version: 'test' });
  });
  after(() => store.close());

  const all: Viewer = { sees: 'all' };
  async function dns(filter: string, base = BASE, scope: SearchScope = SearchScope.wholeSubtree, viewer = all): Promise<string[]> {
    const out: string[] = [];
    const parsed = f(filter);
    for await (const e of directory.search({ base: Dn.parse(base), scope, filter: parsed, needs: needsFor(parsed, parseSelection([])), viewer })) out.push(e.dn);
    return out;
  }

  test('recipient and login searches resolve through indexes, without a scan', async () => {
    calls.listUsers = 0;
    assert.deepEqual(await dns(MAILBOX.split('?').join('u7@example.org')), ['uid=u7,ou=users,dc=example,dc=org']);
    assert.deepEqual(await dns(MAILBOX.split('?').join('staff@example.org')), ['cn=staff,ou=groups,dc=example,dc=org']);
    assert.deepEqual(await dns('(&(objectClass=groupOfNames)(member=uid=u1,ou=users,dc=example,dc=org))'), ['cn=staff,ou=groups,dc=example,dc=org']);
    assert.deepEqual(await dns('(memberOf=cn=staff,ou=groups,dc=example,dc=org)'), ['uid=u1,ou=users,dc=example,dc=org']);
    assert.equal(calls.listUsers, 0);
  });

  test('scans page through the store for filters without an indexed assertion', async () => {
    calls.listUsers = 0;
    assert.equal((await dns('(uid=u2*)', `ou=users,${BASE}`, SearchScope.singleLevel)).length, 11); // u2, u20..u29
    assert.ok(calls.listUsers >= 1);
  });

  test('scopes and missing bases', async () => {
    assert.deepEqual(await dns('(objectClass=*)', BASE, SearchScope.baseObject), [BASE]);
    assert.deepEqual(await dns('(objectClass=*)', 'uid=u3,ou=users,dc=example,dc=org', SearchScope.singleLevel), []);
    await assert.rejects(dns('(objectClass=*)', 'uid=zz,ou=users,dc=example,dc=org', SearchScope.baseObject), { resultCode: 32, matchedDN: `ou=users,${BASE}` });
    await assert.rejects(dns('(objectClass=*)', 'dc=other', SearchScope.wholeSubtree), { resultCode: 32, matchedDN: '' });
    assert.deepEqual(await dns('(objectClass=*)', BASE, SearchScope.wholeSubtree, { sees: 'self', login: 'u4' }), ['uid=u4,ou=users,dc=example,dc=org']);
  });
});
