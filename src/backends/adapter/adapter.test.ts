import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { Attempt } from '../../pipeline/attempt.js';
import { createLogger } from '../../telemetry/logger.js';
import type { CustomerBackend } from '../api.js';
import { BackendUnavailableError } from '../errors.js';
import { CustomerBackendAdapter } from './adapter.js';
import { BackendMetrics } from './metrics.js';

const attempt = (login: string, secret: string, extra: Partial<Attempt> = {}): Attempt => ({
  login, secret, mode: 'authenticate', protocol: 'imap', clientIp: null, relayIp: null, tls: false, frontEnd: 'test', ...extra,
});

function adapter(backend: CustomerBackend, options: { timeoutMs?: number; cacheSeconds?: number } = {}) {
  let now = 0;
  const registry = new Registry();
  const a = new CustomerBackendAdapter({
    name: 'corp', backend, timeoutMs: options.timeoutMs ?? 1000, cacheSeconds: options.cacheSeconds ?? 30,
    breaker: { failureThreshold: 2, openSeconds: 10 }, metrics: new BackendMetrics(registry), log: createLogger({ level: 'silent' }), appPasswords: null, now: () => now,
  });
  return { a, registry, advance: (ms: number) => (now += ms) };
}

const bob = { login: 'Bob', id: 'b0b', mail: 'Bob@Corp.Example', aliases: ['bob@corp.example', 'robert@corp.example'], groups: ['Staff'], passwordVersion: 7 };

test('accepted, wrong password, disabled and unknown map onto the pipeline', async () => {
  const { a } = adapter({
    async verify(login, password) {
      if (login === 'nobody') return { ok: false, reason: 'unknown-user' };
      if (login === 'carol') return { ok: true, account: { login: 'carol', enabled: false } };
      return password === 'right' ? { ok: true, account: bob } : { ok: false, account: bob };
    },
  });
  const ok = await a.authenticate(attempt('bob', 'right'));
  assert.equal(ok.status, 'accepted');
  assert.deepEqual(ok.status === 'accepted' && ok.account, { kind: 'user', id: 'b0b', uid: 'bob', mail: 'bob@corp.example', aliases: ['robert@corp.example'], displayName: 'bob', groups: ['staff'], roles: [], backend: 'corp' });
  assert.equal(ok.status === 'accepted' && ok.credentialVersion, 7);
  const wrong = await a.authenticate(attempt('bob', 'wrong'));
  assert.equal(wrong.status === 'refused' && wrong.reason, 'invalid-credentials');
  assert.equal(wrong.status === 'refused' && wrong.account?.uid, 'bob');
  const disabled = await a.authenticate(attempt('carol', 'right'));
  assert.equal(disabled.status === 'refused' && disabled.reason, 'account-disabled');
  assert.deepEqual(await a.authenticate(attempt('nobody', 'x')), { status: 'unknown' });
  assert.deepEqual(await a.authenticate(attempt('bob', 'right', { secretIsToken: true })), { status: 'unknown' }, 'tokens are the local store’s');
  assert.equal((await a.authenticate(attempt('bob', ''))).status, 'refused', 'an empty secret never reaches the backend');
});

test('a throw, a timeout and garbage are temporary failures, and open the circuit', async () => {
  let mode: 'throw' | 'hang' | 'garbage' | 'fine' = 'throw';
  const { a, registry, advance } = adapter(
    {
      async verify() {
        if (mode === 'throw') throw new Error('connect ECONNREFUSED');
        if (mode === 'hang') return new Promise(() => {});
        if (mode === 'garbage') return { ok: 'yes' } as never;
        return { ok: true, account: bob };
      },
    },
    { timeoutMs: 30 },
  );
  const down = await a.authenticate(attempt('bob', 'pw'));
  assert.deepEqual(down, { status: 'unavailable', detail: 'Error: connect ECONNREFUSED' });
  mode = 'hang';
  const slow = await a.authenticate(attempt('bob', 'pw'));
  assert.match(slow.status === 'unavailable' ? slow.detail : '', /no answer within 30 ms/);
  assert.equal(a.calls.breaker.state, 'open');
  mode = 'fine';
  const fast = await a.authenticate(attempt('bob', 'pw'));
  assert.match(fast.status === 'unavailable' ? fast.detail : '', /circuit open/);
  advance(10_000);
  assert.equal((await a.authenticate(attempt('bob', 'pw'))).status, 'accepted', 'the probe closes the circuit');
  mode = 'garbage';
  const garbled = await a.authenticate(attempt('bob', 'pw'));
  assert.match(garbled.status === 'unavailable' ? garbled.detail : '', /garbled verify answer/);
  const text = await registry.metrics();
  assert.match(text, /portcullis_backend_state\{backend="corp"\} 0/);
  assert.match(text, /portcullis_backend_failures_total\{backend="corp",kind="timeout"\} 1/);
  assert.match(text, /portcullis_backend_failures_total\{backend="corp",kind="circuit-open"\} 1/);
  assert.match(text, /portcullis_backend_failures_total\{backend="corp",kind="garbled"\} 1/);
});

test('look-ups are read through a short cache; a failing look-up throws BackendUnavailableError', async () => {
  let calls = 0;
  let down = false;
  const { a, advance } = adapter({
    async verify() {
      return { ok: false };
    },
    async lookup(login) {
      calls += 1;
      if (down) throw new Error('down');
      return login === 'bob' ? bob : null;
    },
  });
  assert.equal((await a.lookup('bob'))?.id, 'b0b');
  assert.equal(await a.lookup('ghost'), null);
  assert.equal((await a.lookup('BOB'))?.id, 'b0b');
  assert.equal(calls, 2);
  advance(30_000);
  down = true;
  await assert.rejects(a.lookup('bob'), BackendUnavailableError);
});

test('revalidation confirms the account still exists, is enabled and has the same password version', async () => {
  let current: typeof bob | null = bob;
  const { a, advance } = adapter({ async verify() { return { ok: false }; }, async lookup() { return current; } }, { cacheSeconds: 5 });
  const cached = { accountId: 'b0b', backend: 'corp', credential: 'password' as const, credentialVersion: 7 };
  assert.equal((await a.revalidate(attempt('bob', 'pw'), cached))?.uid, 'bob');
  current = { ...bob, passwordVersion: 8 };
  advance(5_000);
  assert.equal(await a.revalidate(attempt('bob', 'pw'), cached), null, 'password changed upstream');
  current = null;
  advance(5_000);
  assert.equal(await a.revalidate(attempt('bob', 'pw'), cached), null, 'account gone');
});
