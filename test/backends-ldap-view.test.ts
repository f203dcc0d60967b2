/**
 * Upstream accounts through Portcullis's own LDAP view (issue 7): Stalwart 0.16's sequence
 * (CONTRACTS.md §1) replayed against Portcullis for users who live only in a real slapd upstream
 * (OpenCloud-IDM-shaped, and a plain directory routed by domain) and never logged in before.
 * Shadow records are served fresh; an upstream that is away makes searches answer 52, never "none".
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { startLdapServer, type LdapServer } from '../src/frontends/ldap/server.js';
import { ResultCode } from '../src/frontends/ldap/protocol/index.js';
import { freePort, skipUnless } from './peers/common.js';
import type { Slapd } from './peers/slapd.js';
import { EINSTEIN_UUID, upstreamBackends, IDM_PASSWORDS, Relay, startCorpSlapd, startIdmSlapd } from './support/upstream-ldap.js';
import { createTestApp, seedAlice, TEST_ACTOR, type TestApp } from './support/test-app.js';

const skip = skipUnless('slapd', 'ldap-utils', 'slapd-argon2');

const BASE = 'dc=portcullis,dc=test';
const WHOAMI = '1.3.6.1.4.1.4203.1.11.3';
const FILTER_LOGIN = '(&(objectClass=inetOrgPerson)(mail=?))';
const FILTER_MAILBOX = '(|(&(objectClass=inetOrgPerson)(|(mail=?)(mailAlias=?)))(&(objectClass=groupOfNames)(|(mail=?)(mailAlias=?))))';
const LOGIN_ATTRS = ['objectclass', 'description', 'mail', 'mailalias', 'memberof', 'userpassword', 'pwdchangetime'];
const STALWART = { dn: `cn=stalwart,ou=services,${BASE}`, password: 'stalwart-service-password' };
const DN = {
  alice: `uid=alice,ou=users,${BASE}`,
  einstein: `uid=einstein,ou=users,${BASE}`,
  // dave's login alone would not reach the corp backend (routed by domain): his DN names his address.
  dave: `uid=dave@corp.example,ou=users,${BASE}`,
  physics: `cn=physics,ou=groups,${BASE}`,
  sales: `cn=sales,ou=groups,${BASE}`,
};

const fill = (filter: string, value: string): string =>
  filter.split('?').join(value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

const codeIs = (code: number) => (err: { code?: number; message?: string }) => err.code === code;

describe('upstream accounts in the LDAP view', { skip }, () => {
  let idm: Slapd;
  let corp: Slapd;
  let relay: Relay;
  let app: TestApp;
  let server: LdapServer;
  let url: string;
  let pooled: Client;

  before(async () => {
    idm = await startIdmSlapd();
    corp = await startCorpSlapd();
    relay = new Relay(await freePort(), corp.port);
    await relay.start();
    app = await createTestApp({
      ldap: { listen: { host: '127.0.0.1', port: 0 }, baseDn: BASE },
      backends: upstreamBackends(idm, corp, `ldap://127.0.0.1:${relay.port}`, 2),
    });
    await seedAlice(app);
    await app.identity.addDomain('corp.example', TEST_ACTOR);
    // physics and sales exist upstream too: the Portcullis groups of the same name are what memberOf names.
    await app.identity.addGroup({ name: 'physics', mail: 'physics@example.org' }, TEST_ACTOR);
    await app.identity.addGroup({ name: 'sales', mail: 'sales@corp.example' }, TEST_ACTOR);
    await app.identity.addServiceAccount({ name: 'stalwart', password: STALWART.password, roles: ['directory-read'] }, TEST_ACTOR);
    const started = await startLdapServer(app);
    assert.ok(started);
    server = started;
    url = `ldap://127.0.0.1:${server.port}`;
    // Stalwart's pooled connection: service bind and the WhoAmI health check.
    pooled = new Client({ url, timeout: 5000 });
    await pooled.bind(STALWART.dn, STALWART.password);
    assert.equal((await pooled.exop(WHOAMI)).value, `dn:${STALWART.dn}`);
  });

  after(async () => {
    await pooled?.unbind().catch(() => undefined);
    await app?.close();
    await relay?.stop();
    await idm?.stop();
    await corp?.stop();
  });

  const search = async (filter: string, attributes = LOGIN_ATTRS) => (await pooled.search(BASE, { scope: 'sub', filter, attributes })).searchEntries;
  const mailbox = async (address: string) => (await search(fill(FILTER_MAILBOX, address))).map((e) => e.dn);
  const bind = async (dn: string, password: string): Promise<void> => {
    const conn = new Client({ url, timeout: 5000 });
    try {
      await conn.bind(dn, password);
    } finally {
      destroySocket(conn); // Stalwart drops the user connection without an unbind
    }
  };
  /** Upstream look-ups a backend made so far (the adapter's metrics). */
  const lookups = async (backend: string): Promise<number> => {
    const text = await app.metrics.registry.metrics();
    const re = new RegExp(`portcullis_backend_request_seconds_count\\{backend="${backend}",op="lookup",outcome="[^"]*"\\} (\\d+)`, 'g');
    return [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  test('login: filterLogin finds an upstream user who never logged in; the user binds with the upstream password; memberOf resolves', async () => {
    assert.equal(await app.identity.findUser('einstein'), null, 'no shadow record yet');
    const found = await search(fill(FILTER_LOGIN, 'einstein@example.org'));
    assert.equal(found.length, 1);
    const entry = found[0];
    assert.ok(entry);
    assert.equal(entry.dn, DN.einstein);
    assert.equal(entry.mail, 'einstein@example.org');
    assert.ok((entry.objectclass as string[]).map((c) => c.toLowerCase()).includes('inetorgperson'));
    assert.equal(entry.memberof, DN.physics);
    assert.deepEqual(entry.userpassword, []);
    // A base-scope search on the DN resolves it; entryUUID is the upstream's id.
    const base = await pooled.search(entry.dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['entryUUID', 'displayName'] });
    assert.deepEqual([base.searchEntries[0]?.entryUUID, base.searchEntries[0]?.displayName], [EINSTEIN_UUID, 'Albert Einstein']);

    await bind(entry.dn, IDM_PASSWORDS.einstein);
    await assert.rejects(bind(entry.dn, 'not his password'), codeIs(ResultCode.invalidCredentials));
    // Each memberOf DN: base search for the group's mail.
    const group = await pooled.search(String(entry.memberof), { scope: 'base', filter: '(objectClass=*)', attributes: ['mail'] });
    assert.equal(group.searchEntries[0]?.mail, 'physics@example.org');
  });

  test('recipients: filterMailbox finds upstream addresses (routed ones under their mail DN); local hits never ask the upstream', async () => {
    assert.deepEqual(await mailbox('einstein@example.org'), [DN.einstein]);
    assert.deepEqual(await mailbox('D.Corp@corp.example'), [DN.dave]);
    await bind(DN.dave, 'dave-password-1');
    const daveGroups = await pooled.search(DN.dave, { scope: 'base', filter: '(objectClass=*)', attributes: ['memberOf', 'uid'] });
    assert.equal(daveGroups.searchEntries[0]?.memberOf, DN.sales);
    assert.deepEqual(await mailbox('marie@example.org'), [], 'disabled upstream accounts are not served');
    assert.deepEqual(await mailbox('nobody@example.org'), []);
    // uid=dave under our base names nobody: each account has one DN.
    await assert.rejects(pooled.search(`uid=dave,ou=users,${BASE}`, { scope: 'base' }), codeIs(ResultCode.noSuchObject));

    const before = await lookups('idm');
    assert.ok(before > 0, 'the metric counts upstream look-ups');
    assert.deepEqual(await mailbox('alice@example.org'), [DN.alice]);
    assert.deepEqual(await mailbox('a@example.org'), [DN.alice]);
    assert.deepEqual(await mailbox('physics@example.org'), [DN.physics]);
    assert.equal(await lookups('idm'), before, 'local users and groups are answered without the upstream');
    // Upstream answers come through the adapter's short look-up cache (cacheSeconds 2).
    await mailbox('einstein@example.org');
    await mailbox('einstein@example.org');
    assert.ok((await lookups('idm')) - before <= 1, 'a repeated recipient search is answered from the look-up cache');
  });

  test('shadow records are served fresh from upstream, not from their store copy', async () => {
    const shadow = await app.identity.findUser('einstein');
    assert.match(shadow?.passwordHash ?? '', /^\{UPSTREAM\}idm$/, 'the first bind created the shadow record');
    await idm.ldapModify('dn: uid=einstein,ou=users,o=libregraph-idm\nchangetype: modify\nreplace: displayName\ndisplayName: Albert E. Einstein\n');
    await sleep(2100); // past the look-up cache
    const byUid = await search('(uid=einstein)', ['displayName']);
    assert.deepEqual(byUid.map((e) => [e.dn, e.displayName]), [[DN.einstein, 'Albert E. Einstein']]);
    assert.equal((await app.identity.findUser('einstein'))?.displayName, 'Albert Einstein', 'the store copy is stale');
    // An unindexed search by a directory-read service account lists upstream accounts once each.
    const all = (await search('(objectClass=inetOrgPerson)', ['uid'])).map((e) => e.dn).sort();
    assert.deepEqual(all, [DN.alice, DN.dave, DN.einstein].sort());
  });

  test('a password changed upstream works at the next bind', async () => {
    await idm.ldapModify('dn: uid=einstein,ou=users,o=libregraph-idm\nchangetype: modify\nreplace: userPassword\nuserPassword: general-1915\n');
    await bind(DN.einstein, 'general-1915');
    await assert.rejects(bind(DN.einstein, IDM_PASSWORDS.einstein), codeIs(ResultCode.invalidCredentials));
  });

  test('upstream away: searches that need it answer unavailable (52), never an empty result; local answers go on', async () => {
    await relay.stop();
    try {
      const unavailable = (err: { code?: number; message?: string }) => err.code === ResultCode.unavailable && /corp .*try again later/.test(err.message ?? '');
      await assert.rejects(search(fill(FILTER_MAILBOX, 'dave@corp.example')), unavailable);
      await assert.rejects(search(fill(FILTER_LOGIN, 'd.corp@corp.example')), unavailable);
      await assert.rejects(pooled.search(DN.dave, { scope: 'base' }), unavailable);
      await assert.rejects(search('(objectClass=inetOrgPerson)', ['uid']), unavailable);
      // What is local does not depend on the upstream: a user, and a group in the routed domain.
      assert.deepEqual(await mailbox('alice@example.org'), [DN.alice]);
      assert.deepEqual(await mailbox('sales@corp.example'), [DN.sales]);
      assert.deepEqual(await mailbox('einstein@example.org'), [DN.einstein], 'other upstreams still answer');
    } finally {
      await relay.start();
    }
    await sleep(1100); // the circuit lets a probe through again
    assert.deepEqual(await mailbox('dave@corp.example'), [DN.dave]);
  });
});

function destroySocket(client: Client): void {
  const socket = (client as unknown as { socket?: { destroy(): void } }).socket;
  socket?.destroy();
}
