// The guard's Redis state against a real Redis: shared counters, bans across nodes via pub/sub,
// and fail-open/closed while a Redis we start ourselves is killed and restarted.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { configSchema } from '../src/config/schema.js';
import { buildGuard, type BuiltGuard } from '../src/guard/build.js';
import { ManualClock } from '../src/guard/clock.js';
import { attempt, failed, succeeded, tryLogin } from '../src/guard/testing.js';
import { TEST_REDIS_URL, redisSkipReason } from './support/redis.js';
import { binary, freePort, makeTempDir, removeTempDir, spawnPeer, waitForTcp, type PeerProcess } from './peers/common.js';

const URL = TEST_REDIS_URL;
const skip = await redisSkipReason(URL);

const RULES = [
  { name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 10, action: { type: 'ban', ttlSeconds: 900 } },
  { name: 'account-distributed', scope: 'account', counts: 'distinct-ips', windowSeconds: 3600, threshold: 10, action: { type: 'delay', seconds: 2, proportional: true, maxSeconds: 15 } },
];

function config(url: string, prefix: string, guard: object = {}) {
  return configSchema.parse({ redis: { url, keyPrefix: prefix }, guard: { rules: RULES, ...guard } });
}

const open: BuiltGuard[] = [];
async function node(url: string, prefix: string, clock: ManualClock, guard: object = {}): Promise<BuiltGuard> {
  const built = await buildGuard(config(url, prefix, guard), { clock: clock.now, registry: new Registry() });
  open.push(built);
  return built;
}

after(async () => {
  for (const b of open) await b.close();
});

describe('guard on Redis', { skip }, () => {
  it('counts and bans like memory, and reports counters in explain', async () => {
    const clock = new ManualClock();
    const { guard } = await node(URL, `t${randomUUID()}:`, clock);
    for (let i = 0; i < 9; i++) await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed(`fp${i}`));
    for (let i = 0; i < 20; i++) await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed('fp0')); // repeats count once
    assert.equal((await guard.precheck(attempt('198.51.100.7', 'alice'))).action, 'allow');
    const e = await guard.admin.explain('198.51.100.7');
    assert.equal(e.rules.find((r) => r.rule === 'ip-bruteforce')?.count, 9);
    await tryLogin(guard, attempt('198.51.100.7', 'alice'), failed('fp9'));
    const v = await guard.precheck(attempt('198.51.100.7', 'alice'));
    assert.equal(v.action === 'refuse' && v.rule, 'ip-bruteforce');
    clock.advance(3601);
    assert.equal((await guard.admin.explain('198.51.100.7')).rules.find((r) => r.rule === 'ip-bruteforce')?.count, 0, 'the window slid');
  });

  it('escalates in Redis and lifts bans by flush', async () => {
    const clock = new ManualClock();
    const { guard } = await node(URL, `t${randomUUID()}:`, clock);
    for (let i = 0; i < 10; i++) await tryLogin(guard, attempt('198.51.100.8', 'a'), failed(`x${i}`));
    clock.advance(901);
    await tryLogin(guard, attempt('198.51.100.8', 'a'), failed('x10'));
    const second = guard.admin.listBans()[0];
    assert.equal(second?.offences, 2);
    assert.equal(second.expiresAt !== null && (second.expiresAt - clock.now()) / 1000, 1800);
    assert.equal((await guard.admin.flush({ ip: '198.51.100.8' })).length, 1);
    assert.equal((await guard.precheck(attempt('198.51.100.8', 'a'))).action, 'allow');
    assert.equal((await guard.admin.explain('198.51.100.8')).rules[0]?.count, 0, 'flush forgets the counters');
  });

  it('shares counters between two nodes, and a ban made by one refuses on the other within a second', async () => {
    const clock = new ManualClock();
    const prefix = `t${randomUUID()}:`;
    const a = (await node(URL, prefix, clock)).guard;
    const b = (await node(URL, prefix, clock)).guard;
    await tryLogin(a, attempt('192.0.2.1', 'alice'), succeeded);
    for (let i = 0; i < 10; i++) await tryLogin(i % 2 ? a : b, attempt(`10.7.${i}.1`, 'alice'), failed(`fp${i}`));
    assert.equal((await b.precheck(attempt('10.9.9.9', 'alice'))).action, 'delay');
    assert.equal((await b.precheck(attempt('192.0.2.1', 'alice'))).action, 'allow', 'known-good on the other node');
    for (let i = 0; i < 5; i++) await tryLogin(a, attempt('203.0.113.5', 'x'), failed(`y${i}`));
    for (let i = 5; i < 10; i++) await tryLogin(b, attempt('203.0.113.5', 'x'), failed(`y${i}`));
    const made = Date.now();
    while ((await a.precheck(attempt('203.0.113.5', 'x'))).action !== 'refuse') {
      assert.ok(Date.now() - made < 1000, 'node a learned of the ban within a second');
      await sleep(5);
    }
    await b.admin.removeBan({ ip: '203.0.113.5' });
    const lifted = Date.now();
    while ((await a.precheck(attempt('203.0.113.5', 'x'))).action === 'refuse') {
      assert.ok(Date.now() - lifted < 1000, 'node a learned of the unban within a second');
      await sleep(5);
    }
  });

  it('loads existing bans when a node starts', async () => {
    const clock = new ManualClock();
    const prefix = `t${randomUUID()}:`;
    const a = (await node(URL, prefix, clock)).guard;
    await a.admin.addBan({ cidr: '203.0.113.0/24', ttlSeconds: 600, reason: 'test' });
    const c = (await node(URL, prefix, clock)).guard;
    const v = await c.precheck(attempt('203.0.113.77', 'x'));
    assert.equal(v.action === 'refuse' && v.rule, 'admin');
  });
});

describe('guard when Redis goes down and comes back', { skip: skip || !findRedisServer() ? (skip || 'redis-server not installed') : false }, () => {
  let dir = '';
  let port = 0;
  let server: PeerProcess | undefined;
  const start = async () => {
    server = spawnPeer('redis', binary('redis-server'), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { logFile: `${dir}/redis.log` });
    await waitForTcp(server, port);
  };
  before(async () => {
    dir = await makeTempDir('redis');
    port = await freePort();
    await start();
  });
  after(async () => {
    await server?.stop();
    await removeTempDir(dir);
  });

  it('fails open with local counting, fails closed when told to, and recovers', async () => {
    const clock = new ManualClock();
    const url = `redis://127.0.0.1:${port}`;
    const registry = new Registry();
    const openNode = await buildGuard(config(url, 'p:', { redisFailure: 'open' }), { clock: clock.now, registry });
    const closedNode = await buildGuard(config(url, 'p:', { redisFailure: 'closed' }), { clock: clock.now, registry: new Registry() });
    open.push(openNode, closedNode);
    assert.equal((await openNode.guard.precheck(attempt('198.51.100.1', 'a'))).action, 'allow');
    await server?.stop();
    await sleep(100);
    // Open: still deciding, and counting in memory meanwhile (a ban is made locally).
    for (let i = 0; i < 10; i++) await tryLogin(openNode.guard, attempt('198.51.100.9', 'a'), failed(`z${i}`));
    assert.equal(openNode.state.degraded, true);
    assert.equal((await openNode.guard.precheck(attempt('198.51.100.9', 'a'))).action, 'refuse');
    assert.equal((await openNode.guard.precheck(attempt('198.51.100.1', 'a'))).action, 'allow');
    const closed = await closedNode.guard.precheck(attempt('198.51.100.1', 'a'));
    assert.deepEqual(closed, { action: 'refuse', reason: 'rate-limited', rule: 'guard-unavailable' });
    assert.match(await registry.metrics(), /portcullis_guard_state_failures_total\{op="observe"\} [1-9]/);
    await start();
    const back = Date.now();
    for (;;) {
      await sleep(200);
      await openNode.guard.precheck(attempt('198.51.100.1', 'a'));
      await closedNode.guard.precheck(attempt('198.51.100.1', 'a'));
      if (!openNode.state.degraded && !closedNode.state.degraded) break;
      assert.ok(Date.now() - back < 10_000, 'recovered within 10 s');
    }
    assert.equal((await closedNode.guard.precheck(attempt('198.51.100.1', 'a'))).action, 'allow');
    // The ban made while Redis was down is written back when the open node reconnects; the other
    // node learns of it by pub/sub or its resync, whichever of the two reconnects comes last.
    const until = Date.now() + 3000;
    let action = (await closedNode.guard.precheck(attempt('198.51.100.9', 'a'))).action;
    while (action !== 'refuse' && Date.now() < until) {
      await sleep(100);
      action = (await closedNode.guard.precheck(attempt('198.51.100.9', 'a'))).action;
    }
    assert.equal(action, 'refuse', 'the ban made during the outage reached the other node within 3 s');
  });
});

function findRedisServer(): boolean {
  try {
    binary('redis-server');
    return true;
  } catch {
    return false;
  }
}
