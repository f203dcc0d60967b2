// DNSBL checks against a real rbldnsd on loopback: listed, clean, weights and threshold,
// IPv6 nibbles, and a dead server failing open or closed per list.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { guardSection } from '../src/config/sections/guard.js';
import { ManualClock } from '../src/guard/clock.js';
import { DnsblChecker } from '../src/guard/dnsbl/checker.js';
import { DetectionGuard } from '../src/guard/guard.js';
import { parseIp } from '../src/guard/net.js';
import { MemoryState } from '../src/guard/state/memory-state.js';
import { attempt } from '../src/guard/testing.js';
import { skipUnless } from './peers/common.js';
import { startRbldnsd, type Rbldnsd } from './peers/rbldnsd.js';

const skip = skipUnless('rbldnsd');

describe('DNSBL against rbldnsd', { skip }, () => {
  let dns: Rbldnsd;
  let deadPort = 0;
  const dead = createSocket('udp4'); // bound, never answers: every query times out

  before(async () => {
    dns = await startRbldnsd([
      { name: 'heavy.test', type: 'ip4set', entries: ['127.0.0.2', '127.0.1.0/24'], answer: '127.0.0.2' },
      { name: 'light.test', type: 'ip4set', entries: ['127.0.0.3', '127.0.0.2'], answer: '127.0.0.10' },
      { name: 'v6.test', type: 'ip6trie', entries: ['2001:db8:bad::/48'] },
    ]);
    await new Promise<void>((resolve) => dead.bind(0, '127.0.0.1', resolve));
    deadPort = dead.address().port;
  });
  after(async () => {
    await dns?.stop();
    dead.close();
  });

  const lists = (extra: object[] = []) => [
    { zone: 'heavy.test', weight: 2 },
    { zone: 'light.test', weight: 1, returnCodes: ['127.0.0.10'] },
    { zone: 'v6.test', weight: 2 },
    ...extra,
  ];
  const checker = (input: object) =>
    new DnsblChecker(guardSection.parse({ dnsbl: { enabled: true, checkPrivate: true, servers: [dns.server], ...input } }).dnsbl, new ManualClock().now);
  const check = (c: DnsblChecker, ip: string) => c.check(parseIp(ip) ?? assert.fail(ip), ip);

  it('scores listed addresses by weight against the threshold', async () => {
    const c = checker({ lists: lists(), threshold: 3 });
    const both = await check(c, '127.0.0.2');
    assert.equal(both?.score, 3);
    assert.equal(both?.blocked, true);
    const heavyOnly = await check(c, '127.0.1.9');
    assert.deepEqual([heavyOnly?.score, heavyOnly?.blocked], [2, false]);
    const light = await check(c, '127.0.0.3');
    assert.deepEqual([light?.score, light?.lists.find((l) => l.zone === 'light.test')?.result], [1, 'listed']);
    const clean = await check(c, '127.0.0.50');
    assert.deepEqual([clean?.score, clean?.blocked], [0, false]);
    const v6 = await check(c, '2001:db8:bad::1');
    assert.deepEqual([v6?.score, v6?.lists.find((l) => l.zone === 'v6.test')?.result], [2, 'listed']);
  });

  it('ignores answers outside the expected return codes', async () => {
    const c = checker({ lists: [{ zone: 'heavy.test', weight: 1, returnCodes: ['127.0.0.9'] }] });
    assert.equal((await check(c, '127.0.0.2'))?.score, 0);
  });

  it('skips loopback and private clients unless told otherwise', async () => {
    const c = new DnsblChecker(guardSection.parse({ dnsbl: { enabled: true, servers: [dns.server], lists: lists() } }).dnsbl, new ManualClock().now);
    assert.equal(await check(c, '127.0.0.2'), null);
  });

  it('caches answers: a delisted address stays listed until the TTL passes', async () => {
    const clock = new ManualClock();
    const c = new DnsblChecker(guardSection.parse({ dnsbl: { enabled: true, checkPrivate: true, servers: [dns.server], lists: [{ zone: 'heavy.test' }], cacheSeconds: 60 } }).dnsbl, clock.now);
    assert.equal((await check(c, '127.0.1.1'))?.blocked, true);
    await dns.updateZone('heavy.test', ['127.0.0.2']);
    await new Promise((r) => setTimeout(r, 1500)); // rbldnsd re-reads its files every second
    assert.equal((await check(c, '127.0.1.1'))?.blocked, true, 'from the cache');
    clock.advance(61);
    assert.equal((await check(c, '127.0.1.1'))?.blocked, false);
  });

  it('a dead server times out per list: fail open scores nothing, fail closed scores the weight', async () => {
    const base = { servers: [`127.0.0.1:${deadPort}`], threshold: 1 };
    const openC = checker({ ...base, lists: [{ zone: 'heavy.test', timeoutMs: 100, onError: 'open' }] });
    const started = performance.now();
    const o = await check(openC, '127.0.0.2');
    assert.ok(performance.now() - started < 1000, 'bounded by the timeout');
    assert.deepEqual([o?.blocked, o?.lists[0]?.result], [false, 'error']);
    const closedC = checker({ ...base, lists: [{ zone: 'heavy.test', timeoutMs: 100, onError: 'closed' }] });
    assert.equal((await check(closedC, '127.0.0.2'))?.blocked, true);
  });

  it('refuses a listed client in the guard with rule dnsbl', async () => {
    const config = guardSection.parse({ dnsbl: { enabled: true, checkPrivate: true, servers: [dns.server], lists: lists(), threshold: 2 } });
    const clock = new ManualClock();
    const guard = new DetectionGuard({ config, state: new MemoryState(config.limits), clock: clock.now, dnsbl: new DnsblChecker(config.dnsbl, clock.now) });
    assert.deepEqual(await guard.precheck(attempt('127.0.0.2', 'alice')), { action: 'refuse', reason: 'blocklisted', rule: 'dnsbl' });
    assert.equal((await guard.precheck(attempt('127.0.0.60', 'alice'))).action, 'allow');
  });
});
