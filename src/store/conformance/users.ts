/** Conformance: domains and users, addresses and their uniqueness. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addGroup, addUser, rejectsConflict, rejectsNotFound, tick, type Fixture } from './helpers.js';

export function userTests(fx: Fixture): void {
  describe('domains', () => {
    it('creates, gets, lists and deletes domains (lowercased)', async () => {
      const d = await fx.store.createDomain('Example.NET');
      assert.equal(d.name, 'example.net');
      assert.ok(d.createdAt instanceof Date);
      assert.deepEqual((await fx.store.getDomain('example.net'))?.name, 'example.net');
      assert.deepEqual((await fx.store.listDomains()).map((x) => x.name), ['example.net', 'example.org']);
      await rejectsConflict(fx.store.createDomain('example.net'), 'domain', 'example.net');
      await fx.store.deleteDomain('example.net');
      assert.equal(await fx.store.getDomain('example.net'), null);
      await rejectsNotFound(fx.store.deleteDomain('example.net'), 'domain');
    });

    it('refuses to delete a domain still used by a user or a group', async () => {
      await fx.store.createDomain('busy.org');
      const u = await addUser(fx.store, 'ann', { domain: 'busy.org', mail: 'ann@busy.org' });
      await rejectsConflict(fx.store.deleteDomain('busy.org'), 'domain', 'busy.org');
      await fx.store.deleteUser(u.id);
      const g = await addGroup(fx.store, 'staff', { domain: 'busy.org', mail: null });
      await rejectsConflict(fx.store.deleteDomain('busy.org'), 'domain');
      await fx.store.deleteGroup(g.id);
      await fx.store.deleteDomain('busy.org');
    });

    it('refuses a user in an unknown domain', async () => {
      await rejectsNotFound(addUser(fx.store, 'x', { domain: 'nowhere.org' }), 'domain');
    });
  });

  describe('users', () => {
    it('creates a user and finds it by id, login, mail and alias', async () => {
      const u = await addUser(fx.store, 'Alice', {
        mail: 'Alice@Example.org',
        aliases: ['ali@example.org', 'Boss@example.org'],
        roles: ['admin'],
        id: '7d1c7f3e-1111-4222-8333-944445555666',
      });
      assert.equal(u.id, '7d1c7f3e-1111-4222-8333-944445555666');
      assert.equal(u.login, 'alice');
      assert.equal(u.mail, 'alice@example.org');
      assert.deepEqual(u.aliases, ['ali@example.org', 'boss@example.org']);
      assert.deepEqual(u.roles, ['admin']);
      assert.equal(u.enabled, true);
      assert.equal(u.credentialVersion, 0);
      assert.ok(u.passwordChangedAt instanceof Date);
      for (const found of [
        await fx.store.getUser(u.id),
        await fx.store.findUserByLogin('ALICE'),
        await fx.store.findUserByAddress('alice@example.org'),
        await fx.store.findUserByAddress('BOSS@example.org'),
      ]) {
        assert.deepEqual(found, u);
      }
      assert.equal(await fx.store.getUser('00000000-0000-4000-8000-000000000000'), null);
      assert.equal(await fx.store.findUserByLogin('bob'), null);
      assert.equal(await fx.store.findUserByAddress('nobody@example.org'), null);
      assert.deepEqual(await fx.store.addressOwner('ali@example.org'), { kind: 'user', id: u.id });
      assert.equal(await fx.store.addressOwner('nobody@example.org'), null);
    });

    it('generates a UUID and keeps a null password', async () => {
      const u = await addUser(fx.store, 'nopw', { passwordHash: null, enabled: false });
      assert.match(u.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(u.passwordHash, null);
      assert.equal(u.passwordChangedAt, null);
      assert.equal(u.enabled, false);
      assert.deepEqual(await fx.store.getUser(u.id), u);
    });

    it('keeps logins unique (case-insensitively) and ids unique', async () => {
      const a = await addUser(fx.store, 'alice');
      await rejectsConflict(addUser(fx.store, 'ALICE', { mail: 'other@example.org' }), 'login', 'alice');
      await rejectsConflict(addUser(fx.store, 'carol', { id: a.id }), 'id', a.id);
      assert.equal(await fx.store.findUserByLogin('carol'), null);
    });

    it('keeps mail and aliases unique across users and groups, leaving nothing half-written', async () => {
      await addUser(fx.store, 'alice', { aliases: ['sales@example.org'] });
      await addGroup(fx.store, 'team', { aliases: ['crew@example.org'] });
      // mail vs mail, mail vs alias, alias vs mail, alias vs alias, and against groups
      await rejectsConflict(addUser(fx.store, 'b1', { mail: 'alice@example.org' }), 'mail', 'alice@example.org');
      await rejectsConflict(addUser(fx.store, 'b2', { mail: 'sales@example.org' }), 'mail', 'sales@example.org');
      await rejectsConflict(addUser(fx.store, 'b3', { aliases: ['alice@example.org'] }), 'alias', 'alice@example.org');
      await rejectsConflict(addUser(fx.store, 'b4', { aliases: ['sales@example.org'] }), 'alias');
      await rejectsConflict(addUser(fx.store, 'b5', { mail: 'team@example.org' }), 'mail', 'team@example.org');
      await rejectsConflict(addUser(fx.store, 'b6', { aliases: ['crew@example.org'] }), 'alias', 'crew@example.org');
      await rejectsConflict(addUser(fx.store, 'b7', { aliases: ['b7@example.org'] }), 'alias', 'b7@example.org');
      for (const login of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']) {
        assert.equal(await fx.store.findUserByLogin(login), null, `${login} must not be half-created`);
        assert.equal(await fx.store.addressOwner(`${login}@example.org`), null);
      }
      assert.equal(await fx.store.countUsers(), 1);
    });

    it('updates fields and moves updatedAt', async () => {
      const u = await addUser(fx.store, 'alice');
      await tick();
      const v = await fx.store.updateUser(u.id, { displayName: 'Alice A.', roles: ['admin', 'ops'] });
      assert.equal(v.displayName, 'Alice A.');
      assert.deepEqual(v.roles, ['admin', 'ops']);
      assert.equal(v.credentialVersion, 0, 'a name or role change is not a credential change');
      assert.ok(v.updatedAt > u.updatedAt);
      assert.deepEqual(v.createdAt, u.createdAt);
      assert.deepEqual(await fx.store.getUser(u.id), v);
      await rejectsNotFound(fx.store.updateUser('00000000-0000-4000-8000-000000000000', { displayName: 'x' }), 'user');
    });

    it('bumps credentialVersion on a password change and on disabling', async () => {
      const u = await addUser(fx.store, 'alice');
      const at = new Date('2024-01-02T03:04:05.678Z');
      const v1 = await fx.store.updateUser(u.id, { passwordHash: 'new', passwordChangedAt: at });
      assert.equal(v1.credentialVersion, 1);
      assert.equal(v1.passwordHash, 'new');
      assert.deepEqual(v1.passwordChangedAt, at);
      const v2 = await fx.store.updateUser(u.id, { passwordHash: 'newer' });
      assert.equal(v2.credentialVersion, 2);
      assert.ok(v2.passwordChangedAt && v2.passwordChangedAt > at, 'passwordChangedAt defaults to now');
      const v3 = await fx.store.updateUser(u.id, { enabled: false });
      assert.equal(v3.enabled, false);
      assert.equal(v3.credentialVersion, 3);
      const v4 = await fx.store.updateUser(u.id, { enabled: false });
      assert.equal(v4.credentialVersion, 3, 'no change, no bump');
    });

    it('changes the primary mail, promoting an own alias and refusing someone else\'s address', async () => {
      const u = await addUser(fx.store, 'alice', { aliases: ['al@example.org'] });
      await addUser(fx.store, 'bob', { aliases: ['bobby@example.org'] });
      const v = await fx.store.updateUser(u.id, { mail: 'Alice.New@example.org' });
      assert.equal(v.mail, 'alice.new@example.org');
      assert.equal(await fx.store.findUserByAddress('alice@example.org'), null, 'old mail is released');
      assert.equal((await fx.store.findUserByAddress('alice.new@example.org'))?.id, u.id);
      const w = await fx.store.updateUser(u.id, { mail: 'al@example.org' });
      assert.equal(w.mail, 'al@example.org');
      assert.deepEqual(w.aliases, []);
      await rejectsConflict(fx.store.updateUser(u.id, { mail: 'bob@example.org' }), 'mail', 'bob@example.org');
      await rejectsConflict(fx.store.updateUser(u.id, { mail: 'bobby@example.org' }), 'mail', 'bobby@example.org');
      assert.deepEqual(await fx.store.getUser(u.id), w, 'a refused change leaves the user as it was');
    });

    it('adds and removes aliases', async () => {
      const u = await addUser(fx.store, 'alice');
      await addUser(fx.store, 'bob');
      await fx.store.addUserAlias(u.id, 'Ali@example.org');
      assert.deepEqual((await fx.store.getUser(u.id))?.aliases, ['ali@example.org']);
      assert.equal((await fx.store.findUserByAddress('ali@example.org'))?.id, u.id);
      await rejectsConflict(fx.store.addUserAlias(u.id, 'bob@example.org'), 'alias', 'bob@example.org');
      await rejectsConflict(fx.store.addUserAlias(u.id, 'ali@example.org'), 'alias');
      await rejectsNotFound(fx.store.addUserAlias('00000000-0000-4000-8000-000000000000', 'x@example.org'), 'user');
      await rejectsNotFound(fx.store.removeUserAlias(u.id, 'alice@example.org'), 'alias'); // the primary is not an alias
      await rejectsNotFound(fx.store.removeUserAlias(u.id, 'bob@example.org'), 'alias');
      await fx.store.removeUserAlias(u.id, 'ALI@example.org');
      assert.deepEqual((await fx.store.getUser(u.id))?.aliases, []);
      assert.equal(await fx.store.addressOwner('ali@example.org'), null);
    });

    it('lists and counts users with paging, query and domain filters', async () => {
      await fx.store.createDomain('other.org');
      for (let i = 0; i < 12; i++) await addUser(fx.store, `user${String(i).padStart(2, '0')}`);
      await addUser(fx.store, 'zed', { domain: 'other.org', mail: 'zed@other.org', displayName: 'Zed 100%_Sure' });
      const all = await fx.store.listUsers();
      assert.equal(all.length, 13);
      assert.deepEqual(all.map((u) => u.login), [...all.map((u) => u.login)].sort());
      const page = await fx.store.listUsers({ offset: 5, limit: 3 });
      assert.deepEqual(page.map((u) => u.login), ['user05', 'user06', 'user07']);
      assert.equal(await fx.store.countUsers(), 13);
      assert.equal(await fx.store.countUsers({ domain: 'other.org' }), 1);
      assert.deepEqual((await fx.store.listUsers({ domain: 'OTHER.org' })).map((u) => u.login), ['zed']);
      assert.deepEqual((await fx.store.listUsers({ query: 'USER1' })).map((u) => u.login), ['user10', 'user11']);
      assert.equal(await fx.store.countUsers({ query: 'user1' }), 2);
      assert.deepEqual((await fx.store.listUsers({ query: '@other' })).map((u) => u.login), ['zed'], 'matches mail');
      assert.deepEqual((await fx.store.listUsers({ query: '100%_s' })).map((u) => u.login), ['zed'], 'matches display name, wildcards literal');
      assert.equal(await fx.store.countUsers({ query: '%' }), 1);
      assert.equal((await fx.store.listUsers({ limit: 5000 })).length, 13, 'limit is capped, not refused');
    });

    it('deletes a user with its addresses, memberships and app passwords', async () => {
      const u = await addUser(fx.store, 'alice', { aliases: ['ali@example.org'] });
      const g = await addGroup(fx.store, 'team');
      await fx.store.addMember(g.id, u.id);
      const ap = await fx.store.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap'], hash: 'h' });
      await fx.store.deleteUser(u.id);
      assert.equal(await fx.store.getUser(u.id), null);
      assert.equal(await fx.store.findUserByAddress('ali@example.org'), null);
      assert.equal(await fx.store.addressOwner('alice@example.org'), null);
      assert.deepEqual(await fx.store.listMembers(g.id), []);
      assert.deepEqual(await fx.store.groupsOfUser(u.id), []);
      assert.equal(await fx.store.getAppPassword(ap.id), null);
      assert.deepEqual(await fx.store.listAppPasswords(u.id), []);
      await rejectsNotFound(fx.store.deleteUser(u.id), 'user');
      // Its addresses and login are free again.
      await addUser(fx.store, 'alice', { aliases: ['ali@example.org'] });
    });
  });
}
