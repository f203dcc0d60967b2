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
import Database from 'better-sqlite3';
import type { AppPassword } from '../../identity/model.js';
import { MIGRATIONS } from '../migrations.js';
import { openStore } from '../open.js';
import { openSqlite } from '../sqlite/sqlite.js';
import { LAST_USE_MAX_AGE_MS, SqlStore } from '../sql/sql-store.js';
import type { IdentityStore } from '../store.js';
import { webStoreOf } from '../web-store.js';
import type { ChangeSource } from './change-source.js';
import { LAST_USE_COLUMNS } from './last-use-migration.js';
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

  it('keeps every entry when an app password\'s use is recorded, here or by another connection; a revoke still drops them at once', async () => {
    const alice = await addAlice();
    const ap = await store.createAppPassword({ userId: alice.id, name: 'phone', scopes: ['imap'], hash: 'x' });
    const cache = cacheOf(store);
    const warm = async (): Promise<void> => {
      await store.findUserByLogin('alice');
      await store.getUser(alice.id);
      await store.groupsOfUser(alice.id);
    };
    await warm();
    await store.listAppPasswords(alice.id);
    const drops = cache.invalidations;
    let hits = cache.hits;

    await store.touchAppPassword(ap.id, { at: new Date('2025-01-01T00:00:00Z'), protocol: 'imap', ip: '192.0.2.1' });
    await warm();
    assert.equal(cache.hits, hits + 3, 'a use recorded by this store keeps the user entries');
    // Only the owner's app-password list is reloaded, and shows the use at once.
    const listed = await store.listAppPasswords(alice.id);
    assert.equal(listed[0]?.lastUsedProtocol, 'imap');
    assert.deepEqual(listed[0]?.lastUsedAt, new Date('2025-01-01T00:00:00Z'));
    hits = cache.hits;

    await other.touchAppPassword(ap.id, { at: new Date('2025-01-01T00:01:00Z'), protocol: 'smtp', ip: '192.0.2.2' });
    await later();
    await warm();
    assert.equal((await store.listAppPasswords(alice.id)).length, 1);
    assert.equal(cache.hits, hits + 4, 'a use recorded by another connection is no change');
    assert.equal(cache.invalidations, drops);

    await other.revokeAppPassword(ap.id);
    await later();
    assert.deepEqual(await store.listAppPasswords(alice.id), []);
    assert.equal((await store.getUser(alice.id))?.credentialVersion, alice.credentialVersion + 1);
    assert.equal(cache.invalidations, drops + 1);
  });

  it('sees another connection\'s new app password, new hash, new scopes and expiry at once', async () => {
    const alice = await addAlice();
    assert.deepEqual(await store.listAppPasswords(alice.id), []);
    const ap = await other.createAppPassword({ userId: alice.id, name: 'phone', scopes: ['imap'], hash: 'x' });
    await later();
    assert.equal((await store.listAppPasswords(alice.id))[0]?.hash, 'x');
    const raw = new Database(path);
    try {
      const change = async (sql: string): Promise<AppPassword | undefined> => {
        raw.prepare(sql).run(ap.id);
        await later();
        return (await store.listAppPasswords(alice.id))[0];
      };
      assert.equal((await change("UPDATE app_passwords SET hash = 'y' WHERE id = ?"))?.hash, 'y');
      assert.deepEqual((await change(`UPDATE app_passwords SET scopes = '["smtp"]' WHERE id = ?`))?.scopes, ['smtp']);
      assert.deepEqual((await change('UPDATE app_passwords SET expires_at = 1000 WHERE id = ?'))?.expiresAt, new Date(1000));
    } finally {
      raw.close();
    }
  });

  it('serves an app password\'s last use recorded by another process at most LAST_USE_MAX_AGE_MS late', async () => {
    const alice = await addAlice();
    const ap = await store.createAppPassword({ userId: alice.id, name: 'phone', scopes: ['imap'], hash: 'x' });
    let now = 0;
    const driver = openSqlite(path);
    const clocked = new SqlStore(driver, driver, new ReadCache(driver.changes, 100, () => now));
    try {
      await clocked.getUser(alice.id);
      assert.equal((await clocked.listAppPasswords(alice.id))[0]?.lastUsedAt, null);
      const script = `
        import { openStore } from ${JSON.stringify(new URL('../open.ts', import.meta.url).pathname)};
        const s = await openStore({ driver: 'sqlite', sqlitePath: ${JSON.stringify(path)}, postgresUrl: '', postgresPoolSize: 1 });
        await s.touchAppPassword(${JSON.stringify(ap.id)}, { at: new Date(5000), protocol: 'imap', ip: null });
        await s.close();`;
      await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
      const hits = clocked.readCache?.hits ?? 0;
      now = LAST_USE_MAX_AGE_MS - 1;
      assert.equal((await clocked.listAppPasswords(alice.id))[0]?.lastUsedAt, null, 'still the cached list');
      assert.equal((await clocked.getUser(alice.id))?.login, 'alice');
      assert.equal(clocked.readCache?.hits, hits + 2, 'another process\'s record of use dropped nothing');
      now = LAST_USE_MAX_AGE_MS;
      assert.deepEqual((await clocked.listAppPasswords(alice.id))[0]?.lastUsedAt, new Date(5000));
      assert.equal((await clocked.getUser(alice.id))?.login, 'alice');
      assert.equal(clocked.readCache?.hits, hits + 3, 'the user entry is kept as long as nothing changed');
    } finally {
      await clocked.close();
    }
  });

  it('signals every column of app_passwords but the last-use ones (migration 5)', () => {
    const raw = new Database(path);
    try {
      raw.pragma('foreign_keys = OFF');
      raw.prepare("INSERT INTO app_passwords (id, user_id, name, scopes, hash, created_at) VALUES ('ap', 'u', 'n', '[]', 'h', 1)").run();
      const count = raw.prepare<[], number>('SELECT n FROM store_changes WHERE id = 1').pluck();
      const columns = raw.prepare<[], string>("SELECT name FROM pragma_table_info('app_passwords')").pluck().all();
      assert.ok(columns.length > LAST_USE_COLUMNS.length);
      for (const column of columns) {
        const before = count.get();
        raw.prepare(`UPDATE app_passwords SET ${column} = coalesce(${column}, '') || 'x'`).run();
        const signalled = count.get() !== before;
        assert.equal(signalled, !(LAST_USE_COLUMNS as readonly string[]).includes(column), `an update of ${column} alone`);
      }
      const before = count.get();
      raw.prepare("UPDATE app_passwords SET hash = hash, last_used_at = 7, last_used_protocol = 'imap'").run();
      assert.equal(count.get(), before, 'values written unchanged are no change');
      raw.prepare('DELETE FROM app_passwords').run();
      assert.equal(count.get(), (before ?? 0) + 1);
    } finally {
      raw.close();
    }
  });

  it('upgrades a database at migration 4 to 5 in place, once', async () => {
    const dir4 = mkdtempSync(join(tmpdir(), 'portcullis-m4-'));
    const path4 = join(dir4, 'identity.db');
    try {
      const raw = new Database(path4);
      raw.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const m of MIGRATIONS.filter((m) => m.id <= 4)) {
        raw.exec(m.sqlite);
        raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.id, m.name, 0);
      }
      raw.close();
      const s = await open(path4);
      try {
        await s.migrate();
        await s.migrate();
        await s.createDomain('example.org');
        const u = await s.createUser({ login: 'bob', domain: 'example.org', mail: 'bob@example.org', displayName: 'Bob', passwordHash: 'h' });
        const ap = await s.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap'], hash: 'x' });
        const check = new Database(path4, { readonly: true });
        try {
          const ids = check.prepare<[], number>('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
          assert.deepEqual(ids, MIGRATIONS.map((m) => m.id));
          const count = (): number | undefined => check.prepare<[], number>('SELECT n FROM store_changes').pluck().get();
          const before = count();
          await s.touchAppPassword(ap.id, { at: new Date(), protocol: 'imap', ip: null });
          assert.equal(count(), before);
          await s.revokeAppPassword(ap.id);
          assert.notEqual(count(), before);
        } finally {
          check.close();
        }
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir4, { recursive: true, force: true });
    }
  });

  it('keeps its entries when web sessions, the login log and admin tokens are written, here or elsewhere', async () => {
    const alice = await addAlice();
    const cache = cacheOf(store);
    await store.getUser(alice.id);
    await store.findUserByAddress('alice@example.org');
    const hits = cache.hits;
    const drops = cache.invalidations;
    const now = new Date();
    for (const [id, web] of [['here', webStoreOf(store)], ['there', webStoreOf(other)]] as const) {
      await web.createSession({ id, userId: alice.id, csrf: 'c', credentialVersion: 0, passwordChangedAt: null, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 60_000), clientIp: null, userAgent: null });
      await web.touchSession(id, { lastSeenAt: new Date(now.getTime() + 1000) });
      await web.appendLogin({ userId: alice.id, at: now, protocol: 'imap', frontEnd: 'ldap', clientIp: null, success: true, detail: 'app-password' }, 10);
      await web.createAdminToken({ id: `t-${id}`, userId: alice.id, name: id, tokenHash: `h-${id}`, createdAt: now, expiresAt: null, lastUsedAt: null });
      await web.touchAdminToken(`t-${id}`, now);
      await web.deleteSession(id);
      await later();
    }
    await store.getUser(alice.id);
    await store.findUserByAddress('alice@example.org');
    assert.equal(cache.hits, hits + 2);
    assert.equal(cache.invalidations, drops);
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

  it('forgets one entry without dropping the others, nor storing a load that straddled it', async () => {
    const source = new FakeSource();
    const cache = new ReadCache(source);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    let release: (v: string) => void = () => undefined;
    const pending = cache.get('c', () => new Promise<string>((r) => (release = r)));
    cache.forget('a');
    release('c1');
    await pending;
    assert.equal(await cache.get('a', async () => 'a2'), 'a2');
    assert.equal(await cache.get('b', async () => 'b2'), 'b1');
    assert.equal(await cache.get('c', async () => 'c2'), 'c2');
    assert.equal(cache.invalidations, 0);
  });

  it('serves an entry given a shorter age limit only that long, never longer than the source allows', async () => {
    let now = 0;
    const cache = new ReadCache(new FakeSource(), 10, () => now);
    await cache.get('short', async () => 1, 100);
    await cache.get('long', async () => 1, 5000);
    await cache.get('plain', async () => 1);
    now = 99;
    assert.equal(await cache.get('short', async () => 2, 100), 1);
    now = 100;
    assert.equal(await cache.get('short', async () => 2, 100), 2);
    assert.equal(await cache.get('plain', async () => 2), 1);
    now = 1000; // FakeSource.maxAgeMs
    assert.equal(await cache.get('long', async () => 2, 5000), 2);
    assert.equal(await cache.get('plain', async () => 2), 2);
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
