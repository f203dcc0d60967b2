import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BackendUnavailableError } from '../../../backends/errors.js';
import { IdentityService } from '../../../identity/service.js';
import { shadowMarker } from '../../../identity/shadow-record.js';
import { BackendChain } from '../../../pipeline/backend-chain.js';
import type { Account } from '../../../pipeline/decision.js';
import type { AuthBackend } from '../../../pipeline/ports.js';
import { openStore } from '../../../store/open.js';
import type { IdentityStore } from '../../../store/store.js';
import { Dn, SearchScope, parseFilter } from '../protocol/index.js';
import { Directory } from './directory.js';
import { needsFor, parseSelection } from './select.js';

const BASE = 'dc=example,dc=org';
const MAILBOX = '(|(&(objectClass=inetOrgPerson)(|(mail=?)(mailAlias=?)))(&(objectClass=groupOfNames)(|(mail=?)(mailAlias=?))))';
const by = { actor: 'test', source: null };

const account = (backend: string, uid: string, mail: string, extra: Partial<Account> = {}): Account => ({
  kind: 'user', id: `${backend}-${uid}-id`, uid, mail, aliases: [], displayName: uid, groups: [], roles: [], backend, ...extra,
});

/** An upstream that knows accounts by login and address, counts look-ups and can be taken down. */
class FakeUpstream implements AuthBackend {
  calls = 0;
  down = false;
  constructor(
    readonly name: string,
    readonly accounts: Account[],
  ) {}
  async authenticate() {
    return { status: 'unknown' as const };
  }
  async lookup(login: string): Promise<Account | null> {
    this.calls++;
    if (this.down) throw new BackendUnavailableError(this.name, 'connection refused');
    const key = login.toLowerCase();
    return this.accounts.find((a) => a.uid === key || a.mail === key || a.aliases.includes(key)) ?? null;
  }
  async revalidate() {
    return null;
  }
  async search(): Promise<Account[]> {
    if (this.down) throw new BackendUnavailableError(this.name, 'connection refused');
    return this.accounts;
  }
}

const localNone: AuthBackend = { name: 'local', authenticate: async () => ({ status: 'unknown' }), lookup: async () => null, revalidate: async () => null };

describe('upstream accounts in the directory view', () => {
  let store: IdentityStore;
  let directory: Directory;
  const idm = new FakeUpstream('idm', [
    account('idm', 'einstein', 'einstein@example.org', { groups: ['physics', 'upstream-only'], displayName: 'Albert Fresh' }),
    account('idm', 'alice', 'alice.upstream@example.org'), // login held by a local user
  ]);
  const corp = new FakeUpstream('corp', [account('corp', 'dave', 'dave@corp.example', { aliases: ['d@corp.example'] })]);

  before(async () => {
    store = await openStore({ driver: 'sqlite', sqlitePath: ':memory:', postgresUrl: '', postgresPoolSize: 1 });
    await store.migrate();
    const identity = new IdentityService(store, { hash: async () => 'hash' }, () => 'unused');
    for (const d of ['example.org', 'corp.example']) await identity.addDomain(d, by);
    await identity.addUser({ mail: 'alice@example.org', passwordHash: null }, by);
    await identity.addGroup({ name: 'physics', mail: 'physics@example.org' }, by);
    await identity.addGroup({ name: 'sales', mail: 'sales@corp.example' }, by);
    // A stale shadow of einstein, and one of an account gone upstream.
    await identity.addUser({ id: 'idm-einstein-id', login: 'einstein', mail: 'einstein@example.org', displayName: 'Albert Stale', passwordHash: shadowMarker('idm') }, by);
    await identity.addUser({ id: 'idm-gone-id', login: 'gone', mail: 'gone@example.org', passwordHash: shadowMarker('idm') }, by);
    const chain = new BackendChain([localNone, idm], { 'corp.example': [localNone, corp] });
    directory = new Directory(store, BASE, { startTls: false, version: 'test' }, { source: chain, sizeLimit: 100 });
  });
  after(() => store.close());

  async function entries(filter: string, base = BASE, scope: SearchScope = SearchScope.wholeSubtree) {
    const parsed = parseFilter(filter);
    const out: Array<{ dn: string; attrs: Map<string, readonly string[]> }> = [];
    for await (const e of directory.search({ base: Dn.parse(base), scope, filter: parsed, needs: needsFor(parsed, parseSelection([])), viewer: { sees: 'all' } })) {
      out.push({ dn: e.dn, attrs: new Map([...e.attributes].map(([k, a]) => [k, a.values])) });
    }
    return out;
  }
  const mailbox = async (address: string) => (await entries(MAILBOX.split('?').join(address))).map((e) => e.dn);

  test('local users and groups are answered without asking any upstream', async () => {
    idm.calls = corp.calls = 0;
    assert.deepEqual(await mailbox('alice@example.org'), [`uid=alice,ou=users,${BASE}`]);
    assert.deepEqual(await mailbox('physics@example.org'), [`cn=physics,ou=groups,${BASE}`]);
    assert.deepEqual(await mailbox('sales@corp.example'), [`cn=sales,ou=groups,${BASE}`]);
    assert.equal(idm.calls + corp.calls, 0);
  });

  test('a shadow record is served fresh; memberOf names only groups Portcullis has', async () => {
    const [einstein] = await entries('(mail=einstein@example.org)');
    assert.equal(einstein?.dn, `uid=einstein,ou=users,${BASE}`);
    assert.deepEqual(einstein?.attrs.get('displayname'), ['Albert Fresh']);
    assert.deepEqual(einstein?.attrs.get('memberof'), [`cn=physics,ou=groups,${BASE}`]);
    assert.deepEqual(einstein?.attrs.get('entryuuid'), ['idm-einstein-id']);
    assert.deepEqual(await mailbox('gone@example.org'), [], 'a shadow whose account is gone upstream is not served');
  });

  test('DNs: the login when a bind with it reaches the backend, else the address', async () => {
    assert.deepEqual(await mailbox('d@corp.example'), [`uid=dave@corp.example,ou=users,${BASE}`]);
    assert.deepEqual(await mailbox('alice.upstream@example.org'), [`uid=alice.upstream@example.org,ou=users,${BASE}`]);
    const base = await entries('(objectClass=*)', `uid=dave@corp.example,ou=users,${BASE}`, SearchScope.baseObject);
    assert.deepEqual(base[0]?.attrs.get('uid'), ['dave@corp.example', 'dave']);
    await assert.rejects(entries('(objectClass=*)', `uid=dave,ou=users,${BASE}`, SearchScope.baseObject), { resultCode: 32 });
  });

  test('unindexed searches list upstream accounts once, shadows included', async () => {
    const dns = (await entries('(objectClass=inetOrgPerson)')).map((e) => e.dn).sort();
    assert.deepEqual(dns, [`uid=alice,ou=users,${BASE}`, `uid=alice.upstream@example.org,ou=users,${BASE}`, `uid=dave@corp.example,ou=users,${BASE}`, `uid=einstein,ou=users,${BASE}`].sort());
  });

  test('an upstream that cannot answer makes the search unavailable (52), not empty', async () => {
    corp.down = true;
    try {
      await assert.rejects(mailbox('dave@corp.example'), { resultCode: 52, message: /corp .*try again later/ });
      await assert.rejects(entries('(objectClass=*)', `uid=dave@corp.example,ou=users,${BASE}`, SearchScope.baseObject), { resultCode: 52 });
      assert.deepEqual(await mailbox('sales@corp.example'), [`cn=sales,ou=groups,${BASE}`], 'a local group needs no upstream');
      assert.deepEqual(await mailbox('einstein@example.org'), [`uid=einstein,ou=users,${BASE}`], 'other upstreams still answer');
    } finally {
      corp.down = false;
    }
  });

  test('without upstreams the view is the store alone, as before', async () => {
    const plain = new Directory(store, BASE, { startTls: false, version: 'test' }, { source: new BackendChain([localNone]), sizeLimit: 100 });
    const parsed = parseFilter('(mail=einstein@example.org)');
    const found = [];
    for await (const e of plain.search({ base: Dn.parse(BASE), scope: SearchScope.wholeSubtree, filter: parsed, needs: needsFor(parsed, parseSelection([])), viewer: { sees: 'all' } })) found.push(e);
    assert.deepEqual(found[0]?.attributes.get('displayname')?.values, ['Albert Stale']);
  });
});
