/** Conformance: groups, their addresses and memberships. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addGroup, addUser, rejectsConflict, rejectsNotFound, tick, type Fixture } from './helpers.js';

const NO_ID = '00000000-0000-4000-8000-000000000000';

export function groupTests(fx: Fixture): void {
  describe('groups', () => {
    it('creates a group and finds it by id, name and address', async () => {
      const g = await addGroup(fx.store, 'Team', { mail: 'Team@example.org', aliases: ['crew@example.org'], description: 'The team' });
      assert.equal(g.name, 'team');
      assert.equal(g.mail, 'team@example.org');
      assert.deepEqual(g.aliases, ['crew@example.org']);
      assert.equal(g.description, 'The team');
      assert.deepEqual(await fx.store.getGroup(g.id), g);
      assert.deepEqual(await fx.store.findGroupByName('TEAM'), g);
      assert.deepEqual(await fx.store.findGroupByAddress('team@example.org'), g);
      assert.deepEqual(await fx.store.findGroupByAddress('Crew@example.org'), g);
      assert.deepEqual(await fx.store.addressOwner('crew@example.org'), { kind: 'group', id: g.id });
      assert.equal(await fx.store.findUserByAddress('team@example.org'), null, 'a group address is not a user');
      assert.equal(await fx.store.findGroupByName('nobody'), null);
      assert.equal(await fx.store.getGroup(NO_ID), null);
    });

    it('allows a group without mail or domain', async () => {
      const g = await fx.store.createGroup({ name: 'readers' });
      assert.equal(g.mail, null);
      assert.equal(g.domain, null);
      assert.equal(g.description, '');
      assert.deepEqual(await fx.store.getGroup(g.id), g);
    });

    it('keeps group names unique and addresses unique against users', async () => {
      await addGroup(fx.store, 'team');
      await addUser(fx.store, 'alice', { aliases: ['ali@example.org'] });
      await rejectsConflict(addGroup(fx.store, 'TEAM', { mail: 'other@example.org' }), 'group', 'team');
      await rejectsConflict(addGroup(fx.store, 'g1', { mail: 'alice@example.org' }), 'mail', 'alice@example.org');
      await rejectsConflict(addGroup(fx.store, 'g2', { mail: 'ali@example.org' }), 'mail', 'ali@example.org');
      await rejectsConflict(addGroup(fx.store, 'g3', { aliases: ['alice@example.org'] }), 'alias', 'alice@example.org');
      await rejectsConflict(addGroup(fx.store, 'g4', { aliases: ['team@example.org'] }), 'alias', 'team@example.org');
      await rejectsNotFound(addGroup(fx.store, 'g5', { domain: 'nowhere.org' }), 'domain');
      assert.deepEqual((await fx.store.listGroups()).map((g) => g.name), ['team']);
    });

    it('updates mail and description', async () => {
      const g = await addGroup(fx.store, 'team', { aliases: ['crew@example.org'] });
      await addUser(fx.store, 'alice');
      await tick();
      const h = await fx.store.updateGroup(g.id, { description: 'new', mail: 'crew@example.org' });
      assert.equal(h.description, 'new');
      assert.equal(h.mail, 'crew@example.org');
      assert.deepEqual(h.aliases, []);
      assert.ok(h.updatedAt > g.updatedAt);
      assert.equal(await fx.store.addressOwner('team@example.org'), null);
      await rejectsConflict(fx.store.updateGroup(g.id, { mail: 'alice@example.org' }), 'mail', 'alice@example.org');
      const i = await fx.store.updateGroup(g.id, { mail: null });
      assert.equal(i.mail, null);
      assert.equal(await fx.store.addressOwner('crew@example.org'), null);
      await rejectsNotFound(fx.store.updateGroup(NO_ID, { description: 'x' }), 'group');
    });

    it('adds and removes group aliases', async () => {
      const g = await addGroup(fx.store, 'team');
      await addUser(fx.store, 'alice');
      await fx.store.addGroupAlias(g.id, 'Crew@example.org');
      assert.deepEqual((await fx.store.getGroup(g.id))?.aliases, ['crew@example.org']);
      await rejectsConflict(fx.store.addGroupAlias(g.id, 'alice@example.org'), 'alias', 'alice@example.org');
      await rejectsNotFound(fx.store.addGroupAlias(NO_ID, 'x@example.org'), 'group');
      await rejectsNotFound(fx.store.removeGroupAlias(g.id, 'team@example.org'), 'alias');
      await fx.store.removeGroupAlias(g.id, 'crew@example.org');
      assert.deepEqual((await fx.store.getGroup(g.id))?.aliases, []);
      await rejectsNotFound(fx.store.removeGroupAlias(g.id, 'crew@example.org'), 'alias');
    });

    it('manages memberships both ways, idempotently', async () => {
      const team = await addGroup(fx.store, 'team');
      const admins = await addGroup(fx.store, 'admins');
      const alice = await addUser(fx.store, 'alice');
      const bob = await addUser(fx.store, 'bob');
      await tick();
      await fx.store.addMember(team.id, bob.id);
      await fx.store.addMember(team.id, alice.id);
      await fx.store.addMember(team.id, alice.id);
      await fx.store.addMember(admins.id, alice.id);
      assert.deepEqual((await fx.store.listMembers(team.id)).map((u) => u.login), ['alice', 'bob']);
      assert.deepEqual((await fx.store.groupsOfUser(alice.id)).map((g) => g.name), ['admins', 'team']);
      const [member] = await fx.store.listMembers(admins.id);
      assert.deepEqual(member, await fx.store.getUser(alice.id), 'members come back as whole users');
      assert.ok((await fx.store.getGroup(team.id))!.updatedAt > team.updatedAt, 'membership moves the group');
      await rejectsNotFound(fx.store.addMember(NO_ID, alice.id), 'group');
      await rejectsNotFound(fx.store.addMember(team.id, NO_ID), 'user');
      await fx.store.removeMember(team.id, alice.id);
      await fx.store.removeMember(team.id, alice.id);
      assert.deepEqual((await fx.store.listMembers(team.id)).map((u) => u.login), ['bob']);
      assert.deepEqual(await fx.store.listMembers(NO_ID), []);
    });

    it('deletes a group with its addresses and memberships, not its members', async () => {
      const g = await addGroup(fx.store, 'team', { aliases: ['crew@example.org'] });
      const u = await addUser(fx.store, 'alice');
      await fx.store.addMember(g.id, u.id);
      await fx.store.deleteGroup(g.id);
      assert.equal(await fx.store.getGroup(g.id), null);
      assert.equal(await fx.store.addressOwner('crew@example.org'), null);
      assert.deepEqual(await fx.store.groupsOfUser(u.id), []);
      assert.ok(await fx.store.getUser(u.id));
      await rejectsNotFound(fx.store.deleteGroup(g.id), 'group');
      await addGroup(fx.store, 'team', { aliases: ['crew@example.org'] });
    });

    it('lists groups with paging, query and domain filters', async () => {
      await fx.store.createDomain('other.org');
      for (const name of ['alpha', 'beta', 'gamma', 'delta']) await addGroup(fx.store, name);
      await addGroup(fx.store, 'omega', { domain: 'other.org', mail: 'omega@other.org', description: 'Last one' });
      assert.deepEqual((await fx.store.listGroups()).map((g) => g.name), ['alpha', 'beta', 'delta', 'gamma', 'omega']);
      assert.deepEqual((await fx.store.listGroups({ offset: 1, limit: 2 })).map((g) => g.name), ['beta', 'delta']);
      assert.deepEqual((await fx.store.listGroups({ domain: 'other.org' })).map((g) => g.name), ['omega']);
      assert.deepEqual((await fx.store.listGroups({ query: 'LAST' })).map((g) => g.name), ['omega']);
      assert.deepEqual((await fx.store.listGroups({ query: 'ta' })).map((g) => g.name), ['beta', 'delta']);
    });
  });
}
