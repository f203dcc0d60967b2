import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from './admission.js';
import { AbortedError, HashingBusyError } from './errors.js';

/** A job the test finishes by hand, so ordering is deterministic without sleeps. */
function gate<T>(value: T) {
  let release!: () => void;
  let started = false;
  const done = new Promise<void>((resolve) => (release = resolve));
  const job = async (): Promise<T> => {
    started = true;
    await done;
    return value;
  };
  return { job, release, started: () => started };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it('runs at most maxRunning jobs and starts waiters in FIFO order', async () => {
    const admission = new Admission({ maxRunning: 2, maxQueued: 2 });
    const [a, b, c, d] = [gate('a'), gate('b'), gate('c'), gate('d')];
    const results = [a, b, c, d].map((g) => admission.run(g.job));
    assert.deepEqual([a.started(), b.started(), c.started(), d.started()], [true, true, false, false]);
    assert.deepEqual(admission.stats(), { running: 2, queued: 2, rejected: 0, aborted: 0, completed: 0 });

    b.release();
    await tick();
    assert.deepEqual([c.started(), d.started()], [true, false]);
    a.release();
    await tick();
    assert.equal(d.started(), true);
    c.release();
    d.release();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
    assert.deepEqual(admission.stats(), { running: 0, queued: 0, rejected: 0, aborted: 0, completed: 4 });
  });

  it('rejects at once with HashingBusyError when the queue is full', async () => {
    const admission = new Admission({ maxRunning: 1, maxQueued: 1 });
    const a = gate(1);
    const b = gate(2);
    const ra = admission.run(a.job);
    const rb = admission.run(b.job);
    let ran = false;
    await assert.rejects(admission.run(async () => (ran = true)), HashingBusyError);
    assert.equal(ran, false);
    assert.equal(admission.stats().rejected, 1);
    a.release();
    b.release();
    assert.deepEqual(await Promise.all([ra, rb]), [1, 2]);
  });

  it('drops a waiting job whose signal fires, and never runs it', async () => {
    const admission = new Admission({ maxRunning: 1, maxQueued: 2 });
    const a = gate('a');
    const b = gate('b');
    const c = gate('c');
    const ra = admission.run(a.job);
    const controller = new AbortController();
    const rb = admission.run(b.job, { signal: controller.signal });
    const rc = admission.run(c.job);
    controller.abort(new Error('client gone'));
    await assert.rejects(rb, (e: unknown) => e instanceof AbortedError && e.cause instanceof Error);
    assert.deepEqual(admission.stats(), { running: 1, queued: 1, rejected: 0, aborted: 1, completed: 0 });

    a.release();
    await tick();
    assert.equal(b.started(), false, 'the aborted job never starts');
    assert.equal(c.started(), true, 'the next waiter takes its place');
    c.release();
    assert.deepEqual(await Promise.all([ra, rc]), ['a', 'c']);
  });

  it('refuses an already aborted signal without queueing', async () => {
    const admission = new Admission({ maxRunning: 1, maxQueued: 1 });
    let ran = false;
    await assert.rejects(admission.run(async () => (ran = true), { signal: AbortSignal.abort() }), AbortedError);
    assert.equal(ran, false);
    assert.equal(admission.stats().aborted, 1);
  });

  it('does not cancel a job that is already running', async () => {
    const admission = new Admission({ maxRunning: 1, maxQueued: 0 });
    const controller = new AbortController();
    const a = gate('done');
    const ra = admission.run(a.job, { signal: controller.signal });
    controller.abort();
    a.release();
    assert.equal(await ra, 'done');
    assert.equal(admission.stats().aborted, 0);
  });

  it('frees the slot when a job fails or throws synchronously', async () => {
    const admission = new Admission({ maxRunning: 1, maxQueued: 1 });
    await assert.rejects(admission.run(() => Promise.reject(new Error('boom'))), /boom/);
    await assert.rejects(admission.run(() => { throw new Error('sync'); }), /sync/);
    assert.equal(await admission.run(async () => 'ok'), 'ok');
    assert.deepEqual(admission.stats(), { running: 0, queued: 0, rejected: 0, aborted: 0, completed: 3 });
  });

  it('validates its options and defaults to one slot per CPU', () => {
    assert.throws(() => new Admission({ maxRunning: 0 }), /maxRunning/);
    assert.throws(() => new Admission({ maxQueued: -1 }), /maxQueued/);
    const admission = new Admission();
    assert.ok(admission.maxRunning >= 1);
    assert.equal(admission.maxQueued, 8 * admission.maxRunning);
  });
});
