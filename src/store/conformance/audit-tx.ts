/** Conformance: the audit log, transactions and migrations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreConflictError } from '../store.js';
import { addGroup, addUser, rejectsConflict, type Fixture } from './helpers.js';

export function auditAndTransactionTests(fx: Fixture): void {
  describe('audit', () => {
    it('appends entries with JSON detail and lists them newest first with filters', async () => {
      const t0 = new Date('2025-01-01T00:00:00.000Z');
      const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);
      const e1 = await fx.store.appendAudit({ at: minutes(0), actor: 'cli:root', action: 'user.create', target: 'user:alice', source: 'cli', detail: { roles: ['admin'], n: 1 } });
      await fx.store.appendAudit({ at: minutes(1), actor: 'admin:alice', action: 'user.create', target: 'user:bob', source: '192.0.2.1', detail: {} });
      await fx.store.appendAudit({ at: minutes(2), actor: 'self:bob', action: 'app-password.revoke', target: 'user:bob', source: null, detail: { name: 'phone' } });
      const now = await fx.store.appendAudit({ actor: 'cli:root', action: 'group.create', target: 'group:team', source: 'cli', detail: { nested: { ok: true } } });
      assert.equal(typeof e1.id, 'number');
      assert.deepEqual(e1.detail, { roles: ['admin'], n: 1 });
      assert.ok(Math.abs(now.at.getTime() - Date.now()) < 60_000, 'at defaults to now');
      const all = await fx.store.listAudit();
      assert.deepEqual(all.map((e) => e.target), ['group:team', 'user:bob', 'user:bob', 'user:alice']);
      assert.deepEqual(all[3], e1);
      assert.deepEqual(all[0]?.detail, { nested: { ok: true } });
      assert.deepEqual((await fx.store.listAudit({ actor: 'cli:root' })).map((e) => e.action), ['group.create', 'user.create']);
      assert.deepEqual((await fx.store.listAudit({ action: 'user.create' })).map((e) => e.target), ['user:bob', 'user:alice']);
      assert.deepEqual((await fx.store.listAudit({ target: 'user:bob' })).map((e) => e.actor), ['self:bob', 'admin:alice']);
      assert.deepEqual((await fx.store.listAudit({ since: minutes(1) })).length, 3);
      assert.deepEqual((await fx.store.listAudit({ target: 'user:bob', since: minutes(2) })).map((e) => e.actor), ['self:bob']);
      assert.deepEqual((await fx.store.listAudit({ offset: 1, limit: 2 })).map((e) => e.at), [minutes(2), minutes(1)]);
      assert.deepEqual((await fx.store.listAudit({ query: 'ALICE' })).map((e) => e.actor), ['admin:alice', 'cli:root']);
    });
  });

  describe('transactions', () => {
    it('commits everything written through tx', async () => {
      const id = await fx.store.transaction(async (tx) => {
        const u = await addUser(tx, 'alice', { aliases: ['ali@example.org'] });
        const g = await addGroup(tx, 'team');
        await tx.addMember(g.id, u.id);
        assert.equal((await tx.findUserByAddress('ali@example.org'))?.id, u.id, 'tx sees its own writes');
        return u.id;
      });
      assert.equal((await fx.store.findUserByAddress('ali@example.org'))?.id, id);
      assert.deepEqual((await fx.store.groupsOfUser(id)).map((g) => g.name), ['team']);
    });

    it('keeps nothing when fn throws', async () => {
      await assert.rejects(
        fx.store.transaction(async (tx) => {
          const u = await addUser(tx, 'alice', { aliases: ['ali@example.org'] });
          await tx.createDomain('new.org');
          await tx.appendAudit({ actor: 'cli:x', action: 'user.create', target: 'user:alice', source: null, detail: {} });
          await tx.updateUser(u.id, { passwordHash: 'x' });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await fx.store.findUserByLogin('alice'), null);
      assert.equal(await fx.store.addressOwner('ali@example.org'), null);
      assert.equal(await fx.store.getDomain('new.org'), null);
      assert.deepEqual(await fx.store.listAudit(), []);
      assert.equal(await fx.store.countUsers(), 0);
    });

    it('survives a conflict caught inside the transaction, without keeping half of it', async () => {
      await addUser(fx.store, 'bob');
      await fx.store.transaction(async (tx) => {
        await addUser(tx, 'alice');
        // carol's row is written before her alias clashes: that part must be undone alone.
        await rejectsConflict(addUser(tx, 'carol', { aliases: ['bob@example.org'] }), 'alias');
        await rejectsConflict(tx.createDomain('example.org'), 'domain');
        await addUser(tx, 'dave');
      });
      assert.deepEqual((await fx.store.listUsers()).map((u) => u.login), ['alice', 'bob', 'dave']);
      assert.equal(await fx.store.addressOwner('carol@example.org'), null);
    });

    it('joins nested transactions: an inner throw undoes only the inner part if caught', async () => {
      await fx.store.transaction(async (tx) => {
        await addUser(tx, 'alice');
        await assert.rejects(
          tx.transaction(async (inner) => {
            await addUser(inner, 'bob');
            throw new Error('inner');
          }),
          /inner/,
        );
        await tx.transaction(async (inner) => addUser(inner, 'carol'));
      });
      assert.deepEqual((await fx.store.listUsers()).map((u) => u.login), ['alice', 'carol']);
    });

    it('does not let outside writes interleave into a running transaction', async () => {
      let outside: Promise<unknown> = Promise.resolve();
      await assert.rejects(
        fx.store.transaction(async (tx) => {
          await addUser(tx, 'alice');
          outside = addUser(fx.store, 'bob'); // must wait, not land inside this transaction
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('rollback');
        }),
        /rollback/,
      );
      await outside;
      assert.deepEqual((await fx.store.listUsers()).map((u) => u.login), ['bob']);
    });

    it('runs concurrent transactions without losing or mixing writes', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fx.store.transaction(async (tx) => {
            const u = await addUser(tx, `u${i}`, { aliases: [`a${i}@example.org`] });
            await tx.updateUser(u.id, { displayName: `User ${i}` });
          }),
        ),
      );
      assert.equal(await fx.store.countUsers(), 8);
      assert.equal((await fx.store.findUserByAddress('a7@example.org'))?.displayName, 'User 7');
    });

    it('reports a conflict from inside a transaction as StoreConflictError', async () => {
      await addUser(fx.store, 'alice');
      await assert.rejects(
        fx.store.transaction((tx) => addUser(tx, 'alice', { mail: 'x@example.org' })),
        (err: unknown) => err instanceof StoreConflictError && err.field === 'login',
      );
    });
  });

  describe('migrations', () => {
    it('migrate twice is a no-op and keeps data', async () => {
      const u = await addUser(fx.store, 'alice');
      await fx.store.migrate();
      await fx.store.migrate();
      assert.deepEqual(await fx.store.getUser(u.id), u);
      await fx.store.ping();
    });
  });
}
