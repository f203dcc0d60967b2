/**
 * The verification cache on Redis, shared by every node. Entries hold no secret (the key is an
 * HMAC of login and secret under the server key) and expire with SET … PX. When Redis fails, a
 * read is a miss (the credential is checked again), never an acceptance; writes are best effort.
 */
import { Cluster } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { RedisClient } from '../guard/state/redis-connect.js';
import { sharedRedis } from '../guard/state/shared-redis.js';
import type { Logger } from '../telemetry/logger.js';
import { MemoryVerificationCache, type CachedVerification, type VerificationCache } from './verification-cache.js';

const CREDENTIALS = new Set(['password', 'app-password', 'token', 'master', 'service', 'none']);

/** Every key of the cache, built here only (the guard's redis-keys style). */
export function cacheKeys(prefix: string): { entry(key: string): string; pattern: string } {
  return { entry: (key) => `${prefix}vcache:${key}`, pattern: `${prefix}vcache:*` };
}

export class RedisVerificationCache implements VerificationCache {
  private readonly keys: ReturnType<typeof cacheKeys>;

  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly onError: (op: string, err: unknown) => void = () => {},
  ) {
    this.keys = cacheKeys(prefix);
  }

  async get(key: string): Promise<CachedVerification | null> {
    if (this.client.status !== 'ready') return null;
    try {
      const raw = await this.client.get(this.keys.entry(key));
      return raw === null ? null : parseEntry(raw);
    } catch (err) {
      this.onError('get', err);
      return null;
    }
  }

  async set(key: string, value: CachedVerification, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0 || this.client.status !== 'ready') return;
    try {
      await this.client.set(this.keys.entry(key), JSON.stringify(value), 'PX', Math.round(ttlSeconds * 1000));
    } catch (err) {
      this.onError('set', err);
    }
  }

  /** A failed delete leaves an entry that revalidation still checks against the credential version. */
  async delete(key: string): Promise<void> {
    try {
      await this.client.del(this.keys.entry(key));
    } catch (err) {
      this.onError('delete', err);
    }
  }

  /** Throws when Redis does not answer: an operator flushing must know it did not happen. */
  async clear(): Promise<void> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', this.keys.pattern, 'COUNT', 500);
        cursor = next;
        // One key per DEL: on a cluster the keys of one scan page live in different slots.
        for (const k of found) await node.del(k);
      } while (cursor !== '0');
    }
  }
}

/** Anything that is not exactly a cached verification is a miss. */
function parseEntry(raw: string): CachedVerification | null {
  try {
    const v = JSON.parse(raw) as Partial<CachedVerification>;
    if (typeof v.accountId !== 'string' || typeof v.backend !== 'string' || typeof v.credentialVersion !== 'number') return null;
    if (typeof v.credential !== 'string' || !CREDENTIALS.has(v.credential)) return null;
    return {
      accountId: v.accountId,
      backend: v.backend,
      credential: v.credential,
      credentialVersion: v.credentialVersion,
      ...(typeof v.impersonator === 'string' ? { impersonator: v.impersonator } : {}),
    };
  } catch {
    return null;
  }
}

/** The app's cache: on Redis when redis.* is configured (shared by every node), else in memory. */
export function buildVerificationCache(
  config: Pick<Config, 'redis' | 'guard' | 'auth'>,
  onClose: (fn: () => void) => void,
  log?: Logger,
): VerificationCache {
  const redis = sharedRedis(config, onClose);
  if (!redis) return new MemoryVerificationCache(config.auth.cacheMaxEntries);
  return new RedisVerificationCache(redis, config.redis.keyPrefix, (op, err) =>
    log?.warn({ event: 'cache.redis-failed', op, err: err instanceof Error ? err.message : String(err) }, `verification cache ${op} failed: treated as a miss`),
  );
}
