import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decision } from '../../pipeline/decision.js';
import { attempt } from '../../guard/testing.js';
import { LiveStats } from './live-stats.js';

const at = 1_800_000_000_000;
const stats = () => new LiveStats({ bucketSeconds: 10, buckets: 360, networkPrefix: { ipv4: 24, ipv6: 64 }, now: () => at });
const wrong: Decision = { ok: false, decisionId: 'd', reason: 'invalid-credentials', delaySeconds: 0, detail: 'wrong password' };
const banned: Decision = { ok: false, decisionId: 'd', reason: 'banned', delaySeconds: 0, detail: 'guard rule x' };

describe('dashboard counts of a node with several processes', () => {
  it('adds up every process’s buckets: totals, top addresses, and the distinct addresses per account', () => {
    const one = stats();
    const two = stats();
    one.decided(attempt('198.51.100.1', 'alice'), wrong);
    one.decided(attempt('198.51.100.1', 'alice'), wrong);
    two.decided(attempt('198.51.100.2', 'alice'), wrong);
    two.decided(attempt('198.51.100.1', 'bob'), banned);
    const node = one.snapshot(900, 10, [...one.exportBuckets(900), ...two.exportBuckets(900)]);
    assert.deepEqual(node.totals, { accepted: 0, failed: 3, blocked: 1 });
    assert.deepEqual(node.topIps, [
      { ip: '198.51.100.1', failures: 2 },
      { ip: '198.51.100.2', failures: 1 },
    ]);
    assert.deepEqual(node.accountsUnderAttack, [{ login: 'alice', failures: 3, addresses: 2 }]);
    assert.equal(node.series.at(-1)?.byProtocol['imap']?.failed, 3);
  });

  it('survives the trip between processes as JSON', () => {
    const one = stats();
    one.decided(attempt('198.51.100.1', 'carol'), wrong);
    const shipped = JSON.parse(JSON.stringify(one.exportBuckets(60))) as ReturnType<LiveStats['exportBuckets']>;
    assert.deepEqual(one.snapshot(60, 10, shipped), one.snapshot(60));
  });
});
