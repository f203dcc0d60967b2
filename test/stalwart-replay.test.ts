// Replays what Stalwart 0.16's LDAP directory sends (CONTRACTS.md §1), in order, with ldapts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { ResultCode } from '../src/frontends/ldap/protocol/index.js';
import { BASE, DN, PASSWORDS, startLdapFixture, type LdapFixture } from './ldap-fixture.js';

const WHOAMI = '1.3.6.1.4.1.4203.1.11.3';
const FILTER_LOGIN = '(&(objectClass=inetOrgPerson)(mail=?))';
const FILTER_MAILBOX = '(|(&(objectClass=inetOrgPerson)(|(mail=?)(mailAlias=?)))(&(objectClass=groupOfNames)(|(mail=?)(mailAlias=?))))';
const FILTER_MEMBER_OF = '(&(objectClass=groupOfNames)(member=?))';
// Stalwart asks for the union of its attribute names, lowercased.
const LOGIN_ATTRS = ['objectclass', 'description', 'mail', 'mailalias', 'memberof', 'userpassword', 'pwdchangetime'];

/** Stalwart inserts `?` escaped (RFC 4515). */
function fill(filter: string, value: string): string {
  const escaped = value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return filter.split('?').join(escaped);
}

describe('Stalwart 0.16 LDAP directory replay', () => {
  let f: LdapFixture;
  let pooled: Client;
  before(async () => {
    f = await startLdapFixture({}, 50);
    pooled = new Client({ url: f.url, timeout: 5000 });
    // 1. The pooled connection: service bind and the WhoAmI health check.
    await pooled.bind(DN.stalwart, PASSWORDS.service);
    assert.equal((await pooled.exop(WHOAMI)).value, `dn:${DN.stalwart}`);
  });
  after(async () => {
    await pooled.unbind().catch(() => undefined);
    await f.close();
  });

  test('login: search with filterLogin, user bind on a fresh connection dropped without unbind, groups by base search', async () => {
    // 2. The login search; only the first entry is used.
    const found = await pooled.search(BASE, { scope: 'sub', filter: fill(FILTER_LOGIN, 'alice@example.org'), attributes: LOGIN_ATTRS });
    assert.equal(found.searchEntries.length, 1);
    const entry = found.searchEntries[0];
    assert.ok(entry);
    assert.equal(entry.dn, DN.alice);
    // Names come back as asked (lowercase), so Stalwart's exact comparison finds them.
    assert.ok((entry.objectclass as string[]).map((c) => c.toLowerCase()).includes('inetorgperson'));
    assert.equal(entry.mail, 'alice@example.org');
    assert.deepEqual(entry.mailalias, ['al@example.org', 'postmaster@example.org']);
    assert.equal(entry.memberof, DN.staff);
    assert.match(String(entry.pwdchangetime), /^\d{14}Z$/);
    assert.deepEqual(entry.userpassword, []); // never served
    assert.equal(entry.userPassword, undefined);

    // 3. A new, unpooled connection binds as the entry's DN and is dropped without an unbind.
    const userConn = new Client({ url: f.url, timeout: 5000 });
    await userConn.bind(entry.dn, PASSWORDS.alice);
    destroySocket(userConn);
    const wrong = new Client({ url: f.url, timeout: 5000 });
    await assert.rejects(wrong.bind(entry.dn, 'not her password'), (err: { code?: number }) => err.code === ResultCode.invalidCredentials);
    destroySocket(wrong);

    // 4. Each memberOf DN: base search with (objectClass=*) asking for mail; the first mail is the group's identity.
    const group = await pooled.search(String(entry.memberof), { scope: 'base', filter: '(objectClass=*)', attributes: ['mail'] });
    assert.equal(group.searchEntries[0]?.mail, 'staff@example.org');
    const noMail = await pooled.search(`cn=nomail,ou=groups,${BASE}`, { scope: 'base', filter: '(objectClass=*)', attributes: ['mail'] });
    assert.deepEqual(noMail.searchEntries[0]?.mail, []);
    // Without memberOf, Stalwart would use filterMemberOf with the user DN.
    const byMember = await pooled.search(BASE, { filter: fill(FILTER_MEMBER_OF, entry.dn), attributes: ['mail'] });
    assert.deepEqual(byMember.searchEntries.map((e) => e.dn), [DN.staff]);
  });

  test('recipients: filterMailbox for an address, an alias and a group address; unknown and disabled are not found', async () => {
    const lookup = async (address: string): Promise<string[]> =>
      (await pooled.search(BASE, { filter: fill(FILTER_MAILBOX, address), attributes: LOGIN_ATTRS })).searchEntries.map((e) => e.dn);
    assert.deepEqual(await lookup('alice@example.org'), [DN.alice]);
    assert.deepEqual(await lookup('Postmaster@Example.org'), [DN.alice]);
    assert.deepEqual(await lookup('staff@example.org'), [DN.staff]);
    assert.deepEqual(await lookup('team@example.org'), [DN.staff]);
    assert.deepEqual(await lookup('nobody@example.org'), []);
    assert.deepEqual(await lookup('carol@example.org'), []);
  });

  test('an empty password with the user DN never authenticates', async () => {
    const conn = new Client({ url: f.url, timeout: 5000 });
    await assert.rejects(conn.bind(DN.alice, ''), (err: { code?: number }) => err.code === ResultCode.unwillingToPerform);
    assert.equal((await conn.exop(WHOAMI)).value ?? '', '');
    destroySocket(conn);
  });

  test('{local} inserted unescaped: injected filter syntax is data, or breaks the filter; it never widens the match', async () => {
    // A deployment filter (|(mail=?)(uid={local})) with {local} = `*)(uid=*`: Stalwart builds this string.
    const injected = '(|(mail=x@example.org)(uid=*)(uid=*))';
    // ldapts parses it (as any client would have to); the server sees a real filter and answers within the rules.
    // The point: the value `*)(uid=*` as a *value* matches nothing.
    const asValue = await pooled.search(BASE, { filter: fill('(|(mail=?)(uid=?))', '*)(uid=*'), attributes: ['uid'] });
    assert.deepEqual(asValue.searchEntries, []);
    const equalityStar = await pooled.search(BASE, { filter: fill(FILTER_MAILBOX, '*'), attributes: ['uid'] });
    assert.deepEqual(equalityStar.searchEntries, []);
    // Built unescaped, the same input is a different filter; it is evaluated like any other, capped by the size limit.
    const built = await pooled.search(`ou=users,${BASE}`, { filter: injected, attributes: ['uid'], sizeLimit: 3 });
    assert.ok(built.searchEntries.length <= 3);
  });
});

/** Stalwart drops the user connection without an unbind: close the TCP socket under ldapts. */
function destroySocket(client: Client): void {
  const socket = (client as unknown as { socket?: { destroy(): void } }).socket;
  socket?.destroy();
}
