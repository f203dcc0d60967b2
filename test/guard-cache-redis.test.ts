// The verification cache on a real Redis: shared between nodes, TTL by PX, no secret stored,
// garbage read as a miss, clear() scoped to its own prefix.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisVerificationCache } from '../src/pipeline/redis-verification-cache.js';
import { inCI } from './peers/common.js';
import { createTestApp, seedAlice } from './support/test-app.js';

const URL = process.env.PORTCULLIS_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const client = new Redis(URL, { maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null, lazyConnect: true });
client.on('error', () => {});
const up = await client.connect().then(() => true, () => false);
const skip = up || inCI ? false : `no Redis at ${URL} (set PORTCULLIS_TEST_REDIS or start redis-server)`;
after(() => client.disconnect());

describe('RedisVerificationCache', { skip }, () => {
  const entry = { accountId: 'a1', backend: 'local', credential: 'password' as const, credentialVersion: 3 };

  test('set with TTL, get, delete, garbage is a miss, clear keeps other prefixes', async () => {
    const prefix = `t${randomUUID()}:`;
    const cache = new RedisVerificationCache(client, prefix);
    const other = new RedisVerificationCache(client, `${prefix}other:`);
    await cache.set('k1', entry, 1);
    await other.set('k9', entry, 60);
    assert.deepEqual(await cache.get('k1'), entry);
    assert.ok((await client.pttl(`${prefix}vcache:k1`)) <= 1000);
    await client.set(`${prefix}vcache:bad`, '{"accountId":1}');
    assert.equal(await cache.get('bad'), null);
    await cache.delete('k1');
    assert.equal(await cache.get('k1'), null);
    await cache.set('k2', entry, 0.2);
    await sleep(300);
    assert.equal(await cache.get('k2'), null, 'expired by PX');
    await cache.set('k3', entry, 60);
    await cache.clear();
    assert.equal(await cache.get('k3'), null);
    assert.deepEqual(await other.get('k9'), entry, "another prefix's entries survive");
  });

  test('an app with redis.url caches verifications in Redis, without the secret', async () => {
    const redis = { url: URL, keyPrefix: `t${randomUUID()}:` };
    const app = await createTestApp({ redis });
    try {
      await seedAlice(app, 'alice-password-1');
      await sleep(100); // the shared connection becomes ready
      const attempt = { login: 'alice', secret: 'alice-password-1', mode: 'authenticate' as const, protocol: 'imap' as const, clientIp: null, relayIp: null, tls: true, frontEnd: 'test' };
      const first = await app.pipeline.decide(attempt);
      assert.equal(first.ok && first.cached, false);
      const again = await app.pipeline.decide(attempt);
      assert.equal(again.ok && again.cached, true, 'the second login needs no hash');
      const keys = await client.keys(`${redis.keyPrefix}vcache:*`);
      assert.equal(keys.length, 1);
      const stored = await client.get(keys[0] ?? '');
      assert.ok(stored && !stored.includes('alice-password-1'), 'no secret stored');
    } finally {
      await app.close();
    }
  });
});
