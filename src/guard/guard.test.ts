import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attempt, failed, memoryGuard, pipelineWith, succeeded, tryLogin } from './testing.js';

const only = (name: string) => ({ rules: [RULES[name]] });
const RULES: Record<string, object> = {
  brute: { name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 10, action: { type: 'ban', ttlSeconds: 900 } },
  spray: { name: 'ip-spraying', scope: 'ip', counts: 'distinct-accounts', windowSeconds: 3600, threshold: 20, action: { type: 'ban', ttlSeconds: 3600 } },
  net: { name: 'network-spraying', scope: 'network', counts: 'distinct-accounts', windowSeconds: 3600, threshold: 5, action: { type: 'ban', ttlSeconds: 900 } },
  dist: { name: 'account-distributed', scope: 'account', counts: 'distinct-ips', windowSeconds: 3600, threshold: 10, action: { type: 'delay', seconds: 2, proportional: true, maxSeconds: 15 } },
};

describe('ip brute force', () => {
  it('bans at exactly the threshold, naming the rule', async () => {
    const { guard } = memoryGuard(only('brute'));
    for (let i = 1; i <= 9; i++) await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed(`fp${i}`));
    assert.equal((await guard.precheck(attempt('198.51.100.7', 'alice'))).action, 'allow');
    await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed('fp10'));
    const v = await guard.precheck(attempt('198.51.100.7', 'bob'));
    assert.deepEqual(v, { action: 'refuse', reason: 'banned', rule: 'ip-bruteforce', retryAfterSeconds: 900 });
    assert.equal((await guard.precheck(attempt('198.51.100.8', 'alice'))).action, 'allow', 'only that address');
  });

  it('counts a repeated identical wrong password once (a phone with a stale password)', async () => {
    const { guard, clock } = memoryGuard(only('brute'));
    for (let i = 0; i < 200; i++) {
      assert.equal((await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed('stale'))).action, 'allow');
      clock.advance(60);
    }
    assert.equal(guard.admin.listBans().length, 0);
  });

  it('forgets failures older than the window', async () => {
    const { guard, clock } = memoryGuard(only('brute'));
    for (let i = 0; i < 30; i++) {
      await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed(`fp${i}`));
      clock.advance(401); // 9 per hour
    }
    assert.equal(guard.admin.listBans().length, 0);
  });

  it('escalates the ban of a repeat offender, capped', async () => {
    const { guard, clock } = memoryGuard({ ...only('brute'), bans: { escalationFactor: 4, maxTtlSeconds: 7200 } });
    const ttls: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) await tryLogin(guard, attempt('198.51.100.7', 'a'), failed(`r${round}-${i}`));
      const v = await guard.precheck(attempt('198.51.100.7', 'a'));
      assert.equal(v.action, 'refuse');
      ttls.push(v.action === 'refuse' ? (v.retryAfterSeconds ?? 0) : 0);
      clock.advance(ttls.at(-1) ?? 0);
    }
    assert.deepEqual(ttls, [900, 3600, 7200]);
  });
});

describe('spraying', () => {
  it('bans an address at the 20th distinct account', async () => {
    const { guard } = memoryGuard(only('spray'));
    for (let i = 1; i <= 19; i++) await tryLogin(guard, attempt('203.0.113.9', `user${i}`), failed(`fp${i}`));
    assert.equal((await guard.precheck(attempt('203.0.113.9', 'x'))).action, 'allow');
    await tryLogin(guard, attempt('203.0.113.9', 'user20'), failed('fp20'));
    const v = await guard.precheck(attempt('203.0.113.9', 'x'));
    assert.equal(v.action === 'refuse' && v.rule, 'ip-spraying');
  });

  it('bans a network when its addresses share the work, sparing a client known to the account', async () => {
    const { guard } = memoryGuard(only('net'));
    await tryLogin(guard, attempt('203.0.113.200', 'carol'), succeeded);
    for (let i = 1; i <= 5; i++) await tryLogin(guard, attempt(`203.0.113.${i}`, `user${i}`), failed(`fp${i}`));
    const v = await guard.precheck(attempt('203.0.113.77', 'dave'));
    assert.equal(v.action === 'refuse' && v.rule, 'network-spraying');
    assert.equal((await guard.precheck(attempt('203.0.113.200', 'carol'))).action, 'allow', 'known-good client passes a network ban');
    assert.equal((await guard.precheck(attempt('203.0.113.200', 'dave'))).action, 'refuse');
  });

  it('tolerates an office behind NAT with many good logins', async () => {
    const { guard } = memoryGuard({ rules: [RULES.spray], tolerance: { ratio: 0.5 } });
    for (let i = 0; i < 200; i++) await tryLogin(guard, attempt('192.0.2.10', `staff${i}`), succeeded);
    for (let i = 0; i < 60; i++) await tryLogin(guard, attempt('192.0.2.10', `staff${i}`), failed(`typo${i}`));
    assert.equal((await guard.precheck(attempt('192.0.2.10', 'staff1'))).action, 'allow');
  });
});

describe('an account under attack', () => {
  it('is slowed from the 10th distinct address, more as they grow, never locked', async () => {
    const { guard } = memoryGuard(only('dist'));
    for (let i = 1; i <= 9; i++) await tryLogin(guard, attempt(`10.1.${i}.1`, 'alice'), failed(`fp${i}`));
    assert.equal((await guard.precheck(attempt('10.9.9.9', 'alice'))).action, 'allow');
    await tryLogin(guard, attempt('10.1.10.1', 'alice'), failed('fp10'));
    assert.deepEqual(await guard.precheck(attempt('10.9.9.9', 'alice')), { action: 'delay', seconds: 2, rule: 'account-distributed' });
    for (let i = 11; i <= 2000; i++) await tryLogin(guard, attempt(`10.2.${i >> 8}.${i & 255}`, 'alice'), failed(`fp${i}`));
    assert.deepEqual(await guard.precheck(attempt('10.9.9.9', 'alice')), { action: 'delay', seconds: 15, rule: 'account-distributed' });
    assert.equal(guard.admin.listBans().length, 0);
  });

  it('lets a client that logged in before from the same address or device pass without delay', async () => {
    const { guard, clock } = memoryGuard(only('dist'));
    await tryLogin(guard, attempt('192.0.2.1', 'alice'), succeeded);
    await tryLogin(guard, attempt('192.0.2.99', 'alice', { deviceId: 'phone-1' }), succeeded);
    clock.advance(3600 * 24);
    for (let i = 1; i <= 50; i++) await tryLogin(guard, attempt(`10.1.${i}.1`, 'alice'), failed(`fp${i}`));
    assert.equal((await guard.precheck(attempt('192.0.2.1', 'alice'))).action, 'allow');
    assert.equal((await guard.precheck(attempt('198.18.0.1', 'alice', { deviceId: 'phone-1' }))).action, 'allow');
    assert.equal((await guard.precheck(attempt('198.18.0.1', 'alice'))).action, 'delay');
  });

  it('still accepts the right password through the pipeline, with a delay', async () => {
    const { guard } = memoryGuard();
    const pipeline = pipelineWith(guard, new Map([['alice', 'right']]));
    for (let i = 1; i <= 300; i++) {
      await pipeline.decide(attempt(`10.3.${i >> 8}.${i & 255}`, 'alice', { secret: `guess${i}` }));
    }
    const d = await pipeline.decide(attempt('198.18.0.1', 'alice', { secret: 'right' }));
    assert.equal(d.ok, true);
    assert.ok(d.delaySeconds > 0 && d.delaySeconds <= 15, `delay ${d.delaySeconds}`);
    const wrong = await pipeline.decide(attempt('198.18.0.2', 'alice', { secret: 'nope' }));
    assert.equal(!wrong.ok && wrong.reason, 'invalid-credentials');
    assert.equal(!wrong.ok && wrong.rule, 'account-distributed');
  });
});

describe('relays and allow-lists', () => {
  it('never counts or bans a trusted relay; with no client address only the account counts', async () => {
    const { guard } = memoryGuard({ trustedRelays: ['192.0.2.25/32'] });
    for (let i = 0; i < 100; i++) {
      await tryLogin(guard, attempt('192.0.2.25', `user${i}`), failed(`a${i}`));
      await tryLogin(guard, attempt(null, `user${i}`, { relayIp: '192.0.2.25' }), failed(`b${i}`));
    }
    assert.notEqual((await guard.precheck(attempt(null, 'someone', { relayIp: '192.0.2.25' }))).action, 'refuse');
    assert.notEqual((await guard.precheck(attempt('192.0.2.25', 'someone'))).action, 'refuse');
    assert.equal(guard.admin.listBans().length, 0);
    const e = await guard.admin.explain('192.0.2.25');
    assert.equal(e.ip, null, 'a relay has no counters of its own');
  });

  it('counts an unknown peer as the client once relays are configured', async () => {
    const { guard } = memoryGuard({ ...only('brute'), trustedRelays: ['192.0.2.25/32'] });
    for (let i = 0; i < 10; i++) await tryLogin(guard, attempt(null, 'alice', { relayIp: '198.51.100.66' }), failed(`x${i}`));
    assert.equal((await guard.precheck(attempt(null, 'alice', { relayIp: '198.51.100.66' }))).action, 'refuse');
  });

  it('never refuses an allow-listed network or account, even when banned', async () => {
    const { guard } = memoryGuard({ allowList: { networks: ['198.51.100.0/24'], accounts: ['Monitor'] } });
    for (let i = 0; i < 100; i++) await tryLogin(guard, attempt('198.51.100.7', `user${i}`), failed(`fp${i}`));
    await guard.admin.addBan({ ip: '198.51.100.7', ttlSeconds: 600 });
    assert.equal((await guard.precheck(attempt('198.51.100.7', 'x'))).action, 'allow');
    for (let i = 0; i < 100; i++) await tryLogin(guard, attempt('203.0.113.1', 'monitor'), failed(`m${i}`));
    assert.equal((await guard.precheck(attempt('203.0.113.1', 'monitor'))).action, 'allow');
    await guard.admin.addAllow({ ip: '203.0.113.50' });
    await guard.admin.addBan({ cidr: '203.0.113.0/24', ttlSeconds: 600 });
    assert.equal((await guard.precheck(attempt('203.0.113.50', 'x'))).action, 'allow');
    assert.equal((await guard.precheck(attempt('203.0.113.51', 'x'))).action, 'refuse');
  });
});

describe('known-good clients', () => {
  it('a known client mistyping does not count against its address (an office behind NAT)', async () => {
    const { guard } = memoryGuard({ rules: [RULES.brute, RULES.dist], tolerance: { ratio: 0 } });
    for (let i = 0; i < 30; i++) await tryLogin(guard, attempt('192.0.2.10', `staff${i}`), succeeded);
    for (let i = 0; i < 30; i++) await tryLogin(guard, attempt('192.0.2.10', `staff${i}`), failed(`typo${i}`));
    assert.equal((await guard.precheck(attempt('192.0.2.10', 'staff1'))).action, 'allow');
    for (let i = 0; i < 10; i++) await tryLogin(guard, attempt('192.0.2.10', 'stranger'), failed(`g${i}`));
    assert.equal((await guard.precheck(attempt('192.0.2.10', 'staff1'))).action, 'refuse', 'unknown logins still count');
  });
});

describe('memory state bounds', () => {
  it('evicts the least recently used subjects and caps members', async () => {
    const { MemoryState } = await import('./state/memory-state.js');
    const s = new MemoryState({ maxSubjects: 100, maxMembers: 10 });
    for (let i = 0; i < 1000; i++) await s.observe([{ subject: `ip:${i}`, add: [{ set: 'fail', member: 'x', retainMs: 60_000 }] }], 1000);
    assert.equal(s.subjectCount, 100);
    const [r] = await s.observe([{ subject: 'ip:999', count: [{ set: 'fail', sinceMs: 0 }] }, { subject: 'ip:0', count: [{ set: 'fail', sinceMs: 0 }] }], 1000);
    assert.equal(r?.counts[0], 1);
    for (let i = 0; i < 50; i++) await s.observe([{ subject: 'acct:a', add: [{ set: 'fip', member: `m${i}`, retainMs: 60_000 }] }], 1000 + i);
    const [c] = await s.observe([{ subject: 'acct:a', count: [{ set: 'fip', sinceMs: 0 }, { set: 'fip', sinceMs: 1045 }] }], 1100);
    assert.deepEqual(c?.counts, [10, 5]);
  });
});
