/** The Redis the tests use, and a skip reason when it is not there (never in CI, where it must be). */
import { Redis } from 'ioredis';
import { inCI } from '../peers/common.js';

export const TEST_REDIS_URL = process.env['PORTCULLIS_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** false when Redis answers (or in CI, where a missing Redis must fail the test), else why the test is skipped. */
export async function redisSkipReason(url = TEST_REDIS_URL): Promise<string | false> {
  return (await reachable(url)) || inCI ? false : `no Redis at ${url} (set PORTCULLIS_TEST_REDIS or start redis-server)`;
}
