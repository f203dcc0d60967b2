/**
 * The store's read cache: hits are served from memory, and any committed change — by this store,
 * by a second connection (what the CLI is), or by another process — is seen by the next read.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore } from '../open.js';
import { SqlStore } from '../sql/sql-store.js';
import type { IdentityStore } from '../store.js';
import type { ChangeSource } from './change-source.js';
import { ReadCache } from './read-cache.js';

/**
 * Another process's commit can only become known here through I/O, i.e. in a later event-loop
 * callback: the test yields once after each write of the second connection to model that.
 */
const run = promisify(execFile);
const later = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const open = (path: string): Promise<IdentityStore> => openStore({ driver: 'sqlite', sqlitePath: path, postgresUrl: '', postgresPoolSize: 1 });

function cacheOf(store: IdentityStore): ReadCache {
  assert.ok(store instanceof SqlStore && store.readCache);
  return store.readCache;
}

describe('store read cache (SQLite)', () => {
  let dir: string;
  let path: string;
  let store: IdentityStore;
  let other: IdentityStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cache-'));
    path = join(dir, 'identity.db');
    store = await open(path);
    await store.migrate();
    await store.createDomain('example.org');
    other = await open(path); // a second connection: what the CLI or another process is
  });
  afterEach(async () => {
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const addAlice = () => store.createUser({ login: 'alice', domain: 'example.org', mail: 'alice@example.org', displayName: 'Alice', passwordHash: 'h1' });

  it('answers repeated hot reads from memory', async () => {
    const alice = await addAlice();
    const cache = cacheOf(store);
    await store.getUser(alice.id);
    const hits = cache.hits;
    for (let i = 0; i < 5; i++) assert.equal((await store.getUser(alice.id))?.login, 'alice');
    assert.equal(cache.hits, hits + 5);
  });

  it('sees a password change, a disable and an app-password revoke by another connection at once', async () => {
    const alice = await addAlice();
    const ap = await store.createAppPassword({ userId: alice.id, name: 'phone', scopes: ['imap'], hash: 'x' });
    assert.equal((await store.getUser(alice.id))?.passwordHash, 'h1');
    assert.equal((await store.listAppPasswords(alice.id)).length, 1);

    await other.updateUser(alice.id, { passwordHash: 'h2' });
    await later();
    const changed = await store.getUser(alice.id);
    assert.equal(changed?.passwordHash, 'h2');
    assert.equal(changed?.credentialVersion, alice.credentialVersion + 1);

    await other.updateUser(alice.id, { enabled: false });
    await later();
    assert.equal((await store.findUserByLogin('alice'))?.enabled, false);
    assert.equal((await store.findUserByAddress('alice@example.org'))?.enabled, false);

    await other.revokeAppPassword(ap.id);
    await later();
    assert.deepEqual(await store.listAppPasswords(alice.id), []);
  });

  it('sees memberships, new addresses and deletions made elsewhere', async () => {
    const alice = await addAlice();
    assert.equal(await store.findGroupByAddress('staff@example.org'), null); // a cached miss
    assert.deepEqual(await store.groupsOfUser(alice.id), []);
    const staff = await other.createGroup({ name: 'staff', domain: 'example.org', mail: 'staff@example.org' });
    await later();
    await other.addMember(staff.id, alice.id);
    await later();
    assert.equal((await store.findGroupByAddress('staff@example.org'))?.name, 'staff');
    assert.deepEqual((await store.groupsOfUser(alice.id)).map((g) => g.name), ['staff']);
    assert.deepEqual((await store.listMembers(staff.id)).map((u) => u.login), ['alice']);
    await other.deleteUser(alice.id);
    await later();
    assert.equal(await store.getUser(alice.id), null);
  });

  it('knows from the user read alone that a user in no group has none, until a membership is added elsewhere', async () => {
    const alice = await addAlice();
    const cache = cacheOf(store);
    await store.findUserByAddress('alice@example.org');
    const hits = cache.hits;
    assert.deepEqual(await store.groupsOfUser(alice.id), []);
    assert.equal(cache.hits, hits + 1); // no query of its own
    const staff = await other.createGroup({ name: 'staff', domain: 'example.org', mail: 'staff@example.org' });
    await later();
    await other.addMember(staff.id, alice.id);
    await later();
    assert.equal((await store.findUserByAddress('alice@example.org'))?.login, 'alice');
    assert.deepEqual((await store.groupsOfUser(alice.id)).map((g) => g.name), ['staff']);
  });

  it('sees a write made by another process', async () => {
    const alice = await addAlice();
    assert.equal((await store.getUser(alice.id))?.displayName, 'Alice');
    const script = `
      import { openStore } from ${JSON.stringify(new URL('../open.ts', import.meta.url).pathname)};
      const s = await openStore({ driver: 'sqlite', sqlitePath: ${JSON.stringify(path)}, postgresUrl: '', postgresPoolSize: 1 });
      await s.updateUser(${JSON.stringify(alice.id)}, { displayName: 'Changed by the CLI', enabled: false });
      await s.close();`;
    await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const seen = await store.getUser(alice.id);
    assert.equal(seen?.displayName, 'Changed by the CLI');
    assert.equal(seen?.enabled, false);
  });

  it('keeps its entries when only untracked tables change (audit log)', async () => {
    const alice = await addAlice();
    await store.getUser(alice.id);
    const cache = cacheOf(store);
    const hits = cache.hits;
    await other.appendAudit({ actor: 'x', action: 'y', target: 'z', source: null, detail: {} });
    await store.getUser(alice.id);
    assert.equal(cache.hits, hits + 1);
  });

  it('hands out frozen values, so no caller can poison the cache', async () => {
    const alice = await addAlice();
    const user = await store.getUser(alice.id);
    assert.ok(user);
    assert.throws(() => {
      (user as { displayName: string }).displayName = 'mallory';
    }, TypeError);
    assert.throws(() => (user.aliases as string[]).push('x'), TypeError);
  });

  it('works on an in-memory database too', async () => {
    const mem = await open(':memory:');
    await mem.migrate();
    await mem.createDomain('example.org');
    const u = await mem.createUser({ login: 'bob', domain: 'example.org', mail: 'bob@example.org', displayName: 'Bob', passwordHash: 'a' });
    await mem.getUser(u.id);
    await mem.transaction(async (tx) => {
      await tx.updateUser(u.id, { passwordHash: 'b' });
    });
    assert.equal((await mem.getUser(u.id))?.passwordHash, 'b');
    await mem.transaction(async (tx) => {
      await tx.updateUser(u.id, { passwordHash: 'c' });
      throw new Error('rolled back');
    }).catch(() => undefined);
    assert.equal((await mem.getUser(u.id))?.passwordHash, 'b');
    await mem.close();
  });
});

describe('ReadCache', () => {
  class FakeSource implements ChangeSource {
    live = true;
    changed = false;
    readonly maxAgeMs = 1000;
    onChange: () => void = () => undefined;
    poll(): boolean {
      const c = this.changed;
      this.changed = false;
      return c;
    }
    subscribe(fn: () => void): void {
      this.onChange = fn;
    }
    async close(): Promise<void> {}
  }

  it('does not store a load that straddled a change', async () => {
    const source = new FakeSource();
    const cache = new ReadCache(source);
    let release: (v: string) => void = () => undefined;
    const pending = cache.get('k', () => new Promise<string>((r) => (release = r)));
    source.onChange(); // a NOTIFY arrives while the row is being read
    release('old');
    assert.equal(await pending, 'old');
    assert.equal(await cache.get('k', async () => 'new'), 'new');
  });

  it('bypasses itself while changes cannot be detected, and ages entries out', async () => {
    let now = 0;
    const source = new FakeSource();
    const cache = new ReadCache(source, 10, () => now);
    await cache.get('k', async () => 1);
    assert.equal(await cache.get('k', async () => 2), 1);
    source.live = false;
    assert.equal(await cache.get('k', async () => 3), 3);
    source.live = true;
    now = 1000;
    assert.equal(await cache.get('k', async () => 4), 4);
  });
});
