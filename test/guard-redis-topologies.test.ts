// The guard, the verification cache and webhook de-duplication on Redis Cluster and Sentinel, with
// real servers (test/peers/redis.ts): sharing between nodes, scripts per slot, and a Sentinel failover.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { configSchema, type ConfigInput } from '../src/config/schema.js';
import { buildGuard, type BuiltGuard } from '../src/guard/build.js';
import { ManualClock } from '../src/guard/clock.js';
import { RedisSeenIds, intakeKeys } from '../src/guard/intake/seen-ids.js';
import { connectRedis, type RedisClient } from '../src/guard/state/redis-connect.js';
import type { DetectionGuard } from '../src/guard/guard.js';
import { attempt, failed, succeeded, tryLogin } from '../src/guard/testing.js';
import { RedisVerificationCache } from '../src/pipeline/redis-verification-cache.js';
import { makeTempDir, removeTempDir, skipUnless } from './peers/common.js';
import { SENTINEL_NAME, startCluster, startSentinelSetup, type ClusterSetup, type SentinelSetup } from './peers/redis.js';
import { createTestApp, seedAlice } from './support/test-app.js';

const skip = skipUnless('redis');

const RULES = [
  { name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 10, action: { type: 'ban', ttlSeconds: 900 } },
  { name: 'account-distributed', scope: 'account', counts: 'distinct-ips', windowSeconds: 3600, threshold: 10, action: { type: 'delay', seconds: 2, proportional: true, maxSeconds: 15 } },
];

type RedisInput = NonNullable<ConfigInput['redis']>;

interface Node extends BuiltGuard {
  registry: Registry;
}

const open: Node[] = [];
async function node(redis: RedisInput, clock: ManualClock, guard: object = {}): Promise<Node> {
  const registry = new Registry();
  const built = await buildGuard(configSchema.parse({ redis, guard: { rules: RULES, ...guard } }), { clock: clock.now, registry });
  open.push({ ...built, registry });
  return { ...built, registry };
}
const clients: RedisClient[] = [];
function client(redis: RedisInput): RedisClient {
  const c = connectRedis(configSchema.parse({ redis }).redis, 1000);
  c.on('error', () => {});
  clients.push(c);
  return c;
}
/** Before the servers stop: a Cluster client outliving its nodes churns through subscribers. */
async function closeAll(): Promise<void> {
  for (const b of open.splice(0)) await b.close();
  for (const c of clients.splice(0)) c.disconnect();
}

/** ResilientState hides Redis errors behind its fallback: a test on Redis must prove none happened. */
async function assertNoRedisFailure(n: Node): Promise<void> {
  assert.equal(n.state.degraded, false, 'the guard is on Redis, not its fallback');
  assert.doesNotMatch(await n.registry.metrics(), /portcullis_guard_state_failures_total\{[^}]*\} [1-9]/, 'no Redis operation failed');
}

async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    assert.ok(Date.now() - start < ms, `${what} within ${ms} ms`);
    await sleep(10);
  }
}

/** Counters shared, a ban by one node refusing on the other within a second, unban likewise. */
async function sharesCountersAndBans(a: DetectionGuard, b: DetectionGuard, net: string): Promise<void> {
  await tryLogin(a, attempt('192.0.2.1', `alice-${net}`), succeeded);
  for (let i = 0; i < 10; i++) await tryLogin(i % 2 ? a : b, attempt(`${net}.${i}.1`, `alice-${net}`), failed(`fp${i}`));
  assert.equal((await b.precheck(attempt('10.250.9.9', `alice-${net}`))).action, 'delay', 'distinct-IP count shared');
  assert.equal((await b.precheck(attempt('192.0.2.1', `alice-${net}`))).action, 'allow', 'known-good shared');
  const ip = `${net}.200.5`;
  for (let i = 0; i < 5; i++) await tryLogin(a, attempt(ip, 'x'), failed(`y${i}`));
  for (let i = 5; i < 10; i++) await tryLogin(b, attempt(ip, 'x'), failed(`y${i}`));
  await within(1000, 'node a learns of the ban', async () => (await a.precheck(attempt(ip, 'x'))).action === 'refuse');
  await b.admin.removeBan({ ip });
  await within(1000, 'node a learns of the unban', async () => (await a.precheck(attempt(ip, 'x'))).action !== 'refuse');
}

describe('Redis Cluster', { skip }, () => {
  let cluster: ClusterSetup;
  let redis: RedisInput;
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await closeAll();
    await cluster?.stop();
  });
  const fresh = (): RedisInput => ({ cluster: cluster.addresses, keyPrefix: `t${randomUUID().slice(0, 8)}:` });

  it('two guards share counters and bans; every script runs within one slot', async () => {
    redis = fresh();
    const clock = new ManualClock();
    const a = await node(redis, clock);
    const b = await node(redis, clock);
    await sharesCountersAndBans(a.guard, b.guard, '10.1');
    await assertNoRedisFailure(a);
    await assertNoRedisFailure(b);
    // The subjects' keys really are spread over the masters (else "one slot per script" proved nothing).
    let holding = 0;
    for (const n of cluster.nodes) {
      const [, keys] = (await n.command('SCAN', '0', 'MATCH', `${redis.keyPrefix}*`, 'COUNT', '10000')) as [string, string[]];
      if (keys.length > 0) holding++;
    }
    assert.ok(holding >= 2, `keys on ${holding} of 3 masters`);
  });

  it('escalates, explains, flushes and loads bans at start', async () => {
    redis = fresh();
    const clock = new ManualClock();
    const a = await node(redis, clock);
    for (let i = 0; i < 10; i++) await tryLogin(a.guard, attempt('198.51.100.8', 'a'), failed(`x${i}`));
    clock.advance(901);
    await tryLogin(a.guard, attempt('198.51.100.8', 'a'), failed('x10'));
    assert.equal(a.guard.admin.listBans()[0]?.offences, 2, 'offence memory on {lists}');
    await a.guard.admin.addBan({ cidr: '203.0.113.0/24', ttlSeconds: 600, reason: 'test' });
    const c = await node(redis, clock);
    assert.equal((await c.guard.precheck(attempt('203.0.113.77', 'x'))).action, 'refuse', 'a new node loads the bans');
    assert.equal((await a.guard.admin.flush({ ip: '198.51.100.8' })).length, 1);
    assert.equal((await a.guard.admin.explain('198.51.100.8')).rules[0]?.count, 0, 'flush forgot the counters');
    await assertNoRedisFailure(a);
    await assertNoRedisFailure(c);
  });

  it('the verification cache is shared by two apps and cleared on every master', async () => {
    redis = fresh();
    // Two nodes as deployed: one store, one server key (the cache key is an HMAC under it), one Redis.
    const dir = await makeTempDir('topology-apps');
    const shared: ConfigInput = { redis, serverKey: randomUUID() + randomUUID(), store: { sqlitePath: join(dir, 'shared.db') } };
    const one = await createTestApp(shared);
    const two = await createTestApp(shared);
    try {
      await seedAlice(one);
      const login = { login: 'alice', secret: 'alice-password-1', mode: 'authenticate' as const, protocol: 'imap' as const, clientIp: null, relayIp: null, tls: true, frontEnd: 'test' };
      await sleep(200); // the shared connections become ready
      const first = await one.pipeline.decide(login);
      assert.equal(first.ok && first.cached, false);
      const other = await two.pipeline.decide(login);
      assert.equal(other.ok && other.cached, true, 'the other node needs no hash');
      for (const app of [one, two]) assert.doesNotMatch(await app.metrics.registry.metrics(), /portcullis_guard_state_failures_total\{[^}]*\} [1-9]/);
    } finally {
      await one.close();
      await two.close();
      await removeTempDir(dir);
    }
    // clear() walks every master: the cache's keys are spread over the slots.
    const cache = new RedisVerificationCache(client(redis), redis.keyPrefix ?? '');
    const peer = new RedisVerificationCache(client(redis), redis.keyPrefix ?? '');
    await sleep(200);
    const entry = { accountId: 'a1', backend: 'local', credential: 'password' as const, credentialVersion: 1 };
    for (let i = 0; i < 30; i++) await cache.set(`k${i}`, entry, 60);
    assert.deepEqual(await peer.get('k7'), entry, 'an entry written by one client is read by another');
    await peer.clear();
    for (let i = 0; i < 30; i++) assert.equal(await cache.get(`k${i}`), null, `k${i} cleared`);
  });

  it('webhook event ids are claimed once across nodes', async () => {
    redis = fresh();
    const prefix = intakeKeys(redis.keyPrefix ?? '', 'stalwart').seen;
    const a = new RedisSeenIds(client(redis), prefix, 60_000);
    const b = new RedisSeenIds(client(redis), prefix, 60_000);
    const ids = Array.from({ length: 20 }, (_, i) => `ev-${i}`); // spread over slots
    for (const id of ids) assert.equal(await a.claim(id), true);
    for (const id of ids) assert.equal(await b.claim(id), false, `${id} is a duplicate on the other node`);
    await a.release('ev-3');
    assert.equal(await b.claim('ev-3'), true, 'a released id is handled again');
  });
});

describe('Redis Sentinel', { skip }, () => {
  let setup: SentinelSetup;
  before(async () => {
    setup = await startSentinelSetup(1);
  });
  after(async () => {
    await closeAll();
    await setup?.stop();
  });
  const fresh = (): RedisInput => ({ sentinels: setup.addresses, sentinelName: SENTINEL_NAME, keyPrefix: `t${randomUUID().slice(0, 8)}:` });

  it('two guards share counters and bans through the sentinel-discovered master', async () => {
    const redis = fresh();
    const clock = new ManualClock();
    const a = await node(redis, clock);
    const b = await node(redis, clock);
    await sharesCountersAndBans(a.guard, b.guard, '10.2');
    await assertNoRedisFailure(a);
    await assertNoRedisFailure(b);
  });

  it('a node whose subscription dropped re-reads the bans published meanwhile', async () => {
    const redis = fresh();
    const clock = new ManualClock();
    const a = await node(redis, clock);
    const b = await node(redis, clock);
    // Drops every subscriber connection; they reconnect after ~100 ms. The ban is published before.
    await setup.master.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await b.guard.admin.addBan({ ip: '203.0.113.44', ttlSeconds: 600, reason: 'while unsubscribed' });
    // Without the re-read on re-subscription this waited for guard.banResyncSeconds (30 s).
    await within(2000, 'node a learns of the ban', async () => (await a.guard.precheck(attempt('203.0.113.44', 'x'))).action === 'refuse');
  });

  it('survives a failover: fails open/closed meanwhile, recovers, keeps replicated bans and counters', async (t) => {
    const redis = fresh();
    const clock = new ManualClock();
    const openNode = await node(redis, clock, { redisFailure: 'open' });
    const closedNode = await node(redis, clock, { redisFailure: 'closed' });
    await openNode.guard.admin.addBan({ ip: '203.0.113.9', ttlSeconds: 3600, reason: 'before failover' });
    for (let i = 0; i < 5; i++) await tryLogin(openNode.guard, attempt('198.51.100.20', 'a'), failed(`b${i}`));
    // Replication is asynchronous: only what reached the replica survives. WAIT makes sure it did.
    assert.ok(Number(await setup.master.command('WAIT', '1', '2000')) >= 1, 'replica acknowledged the writes');

    await setup.master.proc.stop();
    const killed = Date.now();
    // Meanwhile: open decides from memory (keeping the bans it knew), closed refuses.
    assert.equal((await openNode.guard.precheck(attempt('198.51.100.1', 'a'))).action, 'allow');
    assert.equal(openNode.state.degraded, true);
    assert.equal((await openNode.guard.precheck(attempt('203.0.113.9', 'a'))).action, 'refuse', 'the local copy of bans still applies');
    assert.deepEqual(await closedNode.guard.precheck(attempt('198.51.100.1', 'a')), { action: 'refuse', reason: 'rate-limited', rule: 'guard-unavailable' });
    for (let i = 0; i < 10; i++) await tryLogin(openNode.guard, attempt('198.51.100.30', 'a'), failed(`d${i}`)); // banned in memory

    await setup.waitForMaster(setup.replica.port);
    const promoted = Date.now();
    t.diagnostic(`replica promoted ${promoted - killed} ms after the master stopped`);
    for (;;) {
      await openNode.guard.precheck(attempt('198.51.100.1', 'a'));
      await closedNode.guard.precheck(attempt('198.51.100.1', 'a'));
      if (!openNode.state.degraded && !closedNode.state.degraded) break;
      assert.ok(Date.now() - promoted < 15_000, 'both guards back on Redis within 15 s of the promotion');
      await sleep(200);
    }
    t.diagnostic(`both guards back on Redis ${Date.now() - promoted} ms after the promotion`);
    assert.equal((await closedNode.guard.precheck(attempt('198.51.100.1', 'a'))).action, 'allow');
    // Counting resumes on the new master, on top of the replicated counters: 5 before + 5 now = a ban.
    for (let i = 5; i < 10; i++) await tryLogin(closedNode.guard, attempt('198.51.100.20', 'a'), failed(`b${i}`));
    // Up to 3 s, not 1: the open node's subscriber may still be in its reconnect back-off (≤ 2 s); it
    // re-reads the bans once subscribed again.
    await within(3000, 'the ban by the closed node reaches the open node', async () => (await openNode.guard.precheck(attempt('198.51.100.20', 'a'))).action === 'refuse');
    // A node started after the failover reads the replicated ban and the one made during the outage.
    const late = await node(redis, clock);
    assert.equal((await late.guard.precheck(attempt('203.0.113.9', 'a'))).action, 'refuse', 'ban made before the failover');
    assert.equal((await late.guard.precheck(attempt('198.51.100.30', 'a'))).action, 'refuse', 'ban made in memory during the outage, written back');
    await assertNoRedisFailure(late);
  });
});
