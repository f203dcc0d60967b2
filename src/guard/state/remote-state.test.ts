import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelPair } from '../../cluster/channel.js';
import { ManualClock } from '../clock.js';
import { attempt, failed, guardConfig, guardOn, succeeded, tryLogin } from '../testing.js';
import { MemoryState } from './memory-state.js';
import { RemoteState } from './remote-state.js';
import { StateHost } from './state-host.js';

const BRUTE = { rules: [{ name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 10, action: { type: 'ban', ttlSeconds: 900 } }] };

const DISTRIBUTED = { rules: [{ name: 'account-distributed', scope: 'account', counts: 'distinct-ips', windowSeconds: 3600, threshold: 3, action: { type: 'delay', seconds: 2 } }] };

/** A primary holding the state and `n` workers, each with its own guard over a RemoteState. */
async function cluster(n: number, input: object = BRUTE) {
  const clock = new ManualClock();
  const held = new MemoryState(guardConfig(input).limits);
  const host = new StateHost(held);
  const workers = [];
  for (let i = 0; i < n; i++) {
    const [primaryEnd, workerEnd] = channelPair();
    host.attach(primaryEnd);
    // Counts the calls this worker sends to the primary.
    const sent = { calls: 0 };
    const counted = { ...workerEnd, send: (m: unknown) => ((sent.calls += (m as { calls?: unknown[] }).calls?.length ?? 0), workerEnd.send(m)) };
    const state = new RemoteState(counted, { maxSubjects: 1000 });
    await state.start(clock.now());
    sent.calls = 0;
    workers.push({ state, sent, guard: guardOn(state, clock, input) });
  }
  return { clock, held, workers };
}

/** Lets announcements already sent arrive (the pair delivers on setImmediate). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('guard state shared by cluster workers', () => {
  it('counts guesses served by different workers together and bans at exactly the threshold', async () => {
    const { workers } = await cluster(2);
    const [a, b] = workers;
    assert.ok(a && b);
    for (let i = 1; i <= 9; i++) await tryLogin((i % 2 ? a : b).guard, attempt('198.51.100.7', 'alice'), failed(`fp${i}`));
    assert.equal((await b.guard.precheck(attempt('198.51.100.7', 'alice'))).action, 'allow', '9 guesses across workers: not yet');
    await tryLogin(a.guard, attempt('198.51.100.7', 'alice'), failed('fp10'));
    await settle();
    const verdict = await b.guard.precheck(attempt('198.51.100.7', 'bob'));
    assert.deepEqual(verdict, { action: 'refuse', reason: 'banned', rule: 'ip-bruteforce', retryAfterSeconds: 900 }, 'the ban made by one worker stops the other');
  });

  it('gives a worker that starts later the entries made before it', async () => {
    const { held, clock } = await cluster(0);
    held.putSync({ list: 'ban', target: { kind: 'ip', ip: '203.0.113.5' }, rule: 'admin', reason: 'test', ttlSeconds: 0 }, clock.now());
    const [primaryEnd, workerEnd] = channelPair();
    new StateHost(held).attach(primaryEnd);
    const late = new RemoteState(workerEnd, { maxSubjects: 1000 });
    await late.start(clock.now());
    assert.equal(late.find('ban', '203.0.113.5', null, clock.now())?.rule, 'admin');
  });

  it('announces an admin ban and its removal to every worker', async () => {
    const { workers, clock } = await cluster(2);
    const [a, b] = workers;
    assert.ok(a && b);
    await a.guard.admin.addBan({ ip: '192.0.2.66', ttlSeconds: 60, reason: 'manual' });
    await settle();
    assert.equal((await b.guard.precheck(attempt('192.0.2.66', 'x'))).action, 'refuse');
    await b.guard.admin.removeBan({ ip: '192.0.2.66' });
    await settle();
    assert.equal((await a.guard.precheck(attempt('192.0.2.66', 'x'))).action, 'allow');
    assert.equal(a.state.entries(clock.now()).length, 0);
  });

  it('records a success without waiting, and the same worker reads it back in order', async () => {
    const { workers, held } = await cluster(1);
    const [a] = workers;
    assert.ok(a);
    const before = held.subjectCount;
    await a.guard.record(attempt('198.51.100.20', 'carol'), succeeded);
    const read = await a.state.observe([{ subject: 'acct:carol', has: [{ set: 'okip', member: '198.51.100.20', sinceMs: 0 }] }], 1);
    assert.deepEqual(read[0]?.has, [true]);
    assert.ok(held.subjectCount > before);
  });

  it('fails waiting calls when the primary goes away, instead of hanging', async () => {
    const { workers } = await cluster(1);
    const [a] = workers;
    assert.ok(a);
    const pending = a.state.observe([{ subject: 'ip:192.0.2.1', count: [{ set: 'fail', sinceMs: 0 }] }], 1);
    a.state.fail(new Error('primary gone'));
    await assert.rejects(pending, /primary gone/);
    await assert.rejects(a.state.observe([{ subject: 'ip:192.0.2.1', count: [{ set: 'fail', sinceMs: 0 }] }], 1), /unreachable/);
  });

  it('asks the primary nothing for the everyday login, and reads again once any worker records failures', async () => {
    const { workers } = await cluster(2, DISTRIBUTED);
    const [a, b] = workers;
    assert.ok(a && b);
    await tryLogin(b.guard, attempt('198.51.100.9', 'alice'), succeeded);
    await tryLogin(b.guard, attempt('198.51.100.9', 'alice'), succeeded);
    await settle();
    assert.equal(b.sent.calls, 1, 'two logins: one success sent, the repeat coalesced, no pre-check read');
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) await tryLogin(a.guard, attempt(ip, 'alice'), failed(`fp-${ip}`));
    await settle();
    const verdict = await b.guard.precheck(attempt('203.0.113.4', 'alice'));
    assert.deepEqual(verdict, { action: 'delay', seconds: 2, rule: 'account-distributed' }, 'the other worker\'s failures made alice hot here too');
  });

  it('still spares the address of a known client whose failure comes without a pre-check read', async () => {
    const { workers, held, clock } = await cluster(2, { rules: [...BRUTE.rules, ...DISTRIBUTED.rules] });
    const [a, b] = workers;
    assert.ok(a && b);
    await tryLogin(a.guard, attempt('198.51.100.30', 'dave'), succeeded);
    await settle();
    // Nothing is hot: b's pre-check reads nothing, so record() must find out the client is known.
    await tryLogin(b.guard, attempt('198.51.100.30', 'dave'), failed('stale-password'));
    const ip = held.observeOne({ subject: 'ip:198.51.100.30', count: [{ set: 'fail', sinceMs: 0 }] }, clock.now());
    assert.deepEqual(ip.counts, [0], 'a known client mistyping counts against the account, not its address');
  });
});
