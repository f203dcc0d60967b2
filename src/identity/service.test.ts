import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, TEST_ACTOR, type TestApp } from '../../test/support/test-app.js';
import { StoreConflictError } from '../store/store.js';
import { shadowMarker } from './shadow-record.js';
import { ValidationError } from './validate.js';

describe('identity service', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp();
    await app.identity.addDomain('example.org', TEST_ACTOR);
  });
  after(() => app.close());

  test('addresses are unique across users and groups', async () => {
    await app.identity.addUser({ mail: 'sam@example.org', password: 'sam-password-1' }, TEST_ACTOR);
    await assert.rejects(app.identity.addGroup({ name: 'team', mail: 'sam@example.org' }, TEST_ACTOR), StoreConflictError);
    await app.identity.addGroup({ name: 'team', mail: 'team@example.org' }, TEST_ACTOR);
    await assert.rejects(app.identity.addAlias({ user: 'sam' }, 'team@example.org', TEST_ACTOR), StoreConflictError);
  });

  test('every change is audited, without secrets', async () => {
    await app.identity.setPassword('sam', 'sam-password-2', TEST_ACTOR);
    const entries = await app.store.listAudit({ target: 'user:sam' });
    assert.deepEqual(entries.map((e) => e.action).sort(), ['user.create', 'user.password']);
    assert.ok(entries.every((e) => e.actor === 'test' && e.source === '127.0.0.1'));
    assert.doesNotMatch(JSON.stringify(entries), /sam-password/);
  });

  test('the password policy names the rule, never the password', async () => {
    await assert.rejects(app.identity.setPassword('sam', 'short', TEST_ACTOR), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, /at least 8 characters/);
      assert.doesNotMatch(err.message, /short/);
      return true;
    });
  });

  test('the password of an upstream (shadow) account cannot be set locally', async () => {
    await app.identity.addUser({ mail: 'up@example.org', passwordHash: shadowMarker('corp') }, TEST_ACTOR);
    await assert.rejects(app.identity.setPassword('up', 'new-password-1', TEST_ACTOR), /upstream directory "corp"/);
  });

  test('app password expiry must lie in the future', async () => {
    await assert.rejects(
      app.identity.createAppPassword('sam', { name: 'Old', scopes: ['imap'], expiresAt: new Date(Date.now() - 1000) }, TEST_ACTOR),
      /expiresAt .* expected a time in the future/,
    );
  });

  test('over-long and control-character fields are refused by name', async () => {
    await assert.rejects(app.identity.addUser({ mail: 'x@example.org', displayName: 'a'.repeat(300) }, TEST_ACTOR), /displayName .* 1-256 printable/);
    await assert.rejects(app.identity.addUser({ mail: 'y@example.org', displayName: 'bad\u0007name' }, TEST_ACTOR), /displayName/);
    await assert.rejects(app.identity.addUser({ mail: `${'l'.repeat(70)}@example.org` }, TEST_ACTOR), /mail .* expected a mail address/);
  });
});
