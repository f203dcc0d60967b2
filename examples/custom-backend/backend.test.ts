/**
 * Tests for the example backend, in two layers a customer can copy: the module on its own, then
 * inside a real Portcullis (temporary SQLite) where logins go through the full pipeline.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/telemetry/logger.js';
import type { Attempt } from '../../src/pipeline/attempt.js';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';
import { createBackend, hashPassword, type ExampleUser } from './backend.js';

const users: ExampleUser[] = [
  { login: 'erin', mail: 'erin@staff.example', displayName: 'Erin Staff', groups: ['staff'], passwordHash: hashPassword('erin-secret-1') },
  { login: 'frank', mail: 'frank@staff.example', enabled: false, passwordHash: hashPassword('frank-secret-1') },
];
const file = join(mkdtempSync(join(tmpdir(), 'example-backend-')), 'users.json');
writeFileSync(file, JSON.stringify(users));
const env = { name: 'staff', log: createLogger({ level: 'silent' }) };
const ctx = { protocol: 'imap' as const, clientIp: '192.0.2.1', tls: true, frontEnd: 'test', signal: new AbortController().signal };

test('the module alone: right, wrong and unknown', async () => {
  const backend = await createBackend({ file }, env);
  const ok = await backend.verify('erin', 'erin-secret-1', ctx);
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.ok && ok.account.groups, ['staff']);
  assert.equal(ok.ok && 'passwordHash' in ok.account, false, 'the hash never leaves the module');
  assert.deepEqual(await backend.verify('erin', 'wrong', ctx), { ok: false, account: { login: 'erin', mail: 'erin@staff.example', displayName: 'Erin Staff', groups: ['staff'] } });
  assert.deepEqual(await backend.verify('nobody', 'x', ctx), { ok: false, reason: 'unknown-user' });
  assert.equal((await backend.lookup?.('erin@staff.example', ctx))?.login, 'erin');
});

test('the module refuses to start without users', async () => {
  await assert.rejects(Promise.resolve(createBackend({}, env)), /options\.file/);
});

let app: TestApp;
before(async () => {
  app = await createTestApp({
    backends: { order: ['local', 'staff'], upstreams: [{ name: 'staff', type: 'module', module: new URL('./backend.ts', import.meta.url).pathname, options: { file } }] },
  });
});
after(() => app.close());

const attempt = (login: string, secret: string): Attempt => ({ login, secret, mode: 'authenticate', protocol: 'imap', clientIp: '192.0.2.1', relayIp: null, tls: true, frontEnd: 'test' });

test('inside Portcullis: the pipeline answers with the module account', async () => {
  const ok = await app.pipeline.decide(attempt('erin', 'erin-secret-1'));
  assert.equal(ok.ok, true);
  assert.equal(ok.ok && ok.account.backend, 'staff');
  assert.equal(ok.ok && ok.account.mail, 'erin@staff.example');
  const wrong = await app.pipeline.decide(attempt('erin', 'nope'));
  assert.equal(!wrong.ok && wrong.reason, 'invalid-credentials');
  const disabled = await app.pipeline.decide(attempt('frank', 'frank-secret-1'));
  assert.equal(!disabled.ok && disabled.reason, 'account-disabled');
  assert.equal((await app.backends.lookup('erin@staff.example'))?.uid, 'erin');
});
