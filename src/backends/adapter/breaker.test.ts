import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker, CircuitOpenError, type BreakerState } from './breaker.js';

function setup() {
  let now = 0;
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({ failureThreshold: 3, openSeconds: 10, now: () => now, onStateChange: (s) => changes.push(s) });
  const fail = () => breaker.run(() => Promise.reject(new Error('down')));
  const ok = () => breaker.run(() => Promise.resolve('fine'));
  return { breaker, changes, fail, ok, advance: (ms: number) => (now += ms) };
}

test('opens after N consecutive failures and then answers at once', async () => {
  const { breaker, fail, ok } = setup();
  await assert.rejects(fail(), /down/);
  await assert.rejects(fail(), /down/);
  assert.equal(await ok(), 'fine'); // a success resets the count
  for (let i = 0; i < 3; i++) await assert.rejects(fail(), /down/);
  assert.equal(breaker.state, 'open');
  let called = false;
  await assert.rejects(breaker.run(async () => (called = true)), CircuitOpenError);
  assert.equal(called, false);
});

test('half-open after the cool-down: one probe, success closes', async () => {
  const { breaker, changes, fail, ok, advance } = setup();
  for (let i = 0; i < 3; i++) await assert.rejects(fail());
  advance(9_999);
  await assert.rejects(ok(), CircuitOpenError);
  advance(1);
  let release: (v: string) => void = () => {};
  const probe = breaker.run(() => new Promise<string>((r) => (release = r)));
  assert.equal(breaker.state, 'half-open');
  await assert.rejects(ok(), CircuitOpenError, 'only one probe at a time');
  release('up');
  assert.equal(await probe, 'up');
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(changes, ['open', 'half-open', 'closed']);
});

test('a failed probe opens the circuit again for a full cool-down', async () => {
  const { breaker, fail, ok, advance } = setup();
  for (let i = 0; i < 3; i++) await assert.rejects(fail());
  advance(10_000);
  await assert.rejects(fail(), /down/);
  assert.equal(breaker.state, 'open');
  advance(5_000);
  await assert.rejects(ok(), CircuitOpenError);
});

test('errors that are not failures (a wrong password) do not count', async () => {
  const { breaker } = setup();
  for (let i = 0; i < 5; i++) {
    await assert.rejects(breaker.run(() => Promise.reject(new Error('49')), () => false));
  }
  assert.equal(breaker.state, 'closed');
});
