/** Builds the ioredis client for the guard from the `redis.*` section: standalone URL, Sentinel or Cluster. */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../../config/schema.js';

export type RedisClient = Redis | Cluster;

export function redisConfigured(cfg: Config['redis']): boolean {
  return Boolean(cfg.url || cfg.sentinels?.length || cfg.cluster?.length);
}

/**
 * Fails fast when Redis is away (no offline queue, a command timeout) so the guard can fall back
 * at once; reconnects forever in the background. A decision's scripts go out as one pipeline
 * (standalone, Sentinel) or as concurrent commands each routed to its slot's node (Cluster).
 */
export function connectRedis(cfg: Config['redis'], timeoutMs: number): RedisClient {
  const common: RedisOptions = {
    enableOfflineQueue: false,
    enableAutoPipelining: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(1000, timeoutMs * 4),
    retryStrategy: (times) => Math.min(100 * times, 2000),
    ...(cfg.username ? { username: cfg.username } : {}),
    ...(cfg.password ? { password: cfg.password } : {}),
    ...(cfg.tls ? { tls: {} } : {}),
  };
  if (cfg.cluster?.length) {
    // No auto-pipelining: ioredis groups an auto-pipeline by the slot of the first argument, which for
    // the observe script (variable key count) is the key count, not a key, so scripts of different
    // slots met in one pipeline and all failed ("All keys in the pipeline should belong to the same
    // slots allocation group"). Concurrent commands still share one round trip per node.
    return new Cluster(cfg.cluster, { enableOfflineQueue: false, enableAutoPipelining: false, redisOptions: common, clusterRetryStrategy: (times) => Math.min(100 * times, 2000) });
  }
  if (cfg.sentinels?.length) {
    return new Redis({
      ...common,
      sentinels: cfg.sentinels,
      name: cfg.sentinelName ?? 'mymaster',
      ...(cfg.sentinelPassword ? { sentinelPassword: cfg.sentinelPassword } : {}),
      ...(cfg.tls ? { enableTLSForSentinelMode: true } : {}),
    });
  }
  if (!cfg.url) throw new Error('redis: url, sentinels or cluster is required');
  return new Redis(cfg.url, common);
}

/** A second connection for pub/sub; it may queue its SUBSCRIBE until connected, and re-subscribes itself. */
export function duplicateForSubscribe(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate(undefined, { enableOfflineQueue: true }) : client.duplicate({ enableOfflineQueue: true });
}

/** Resolves once the client is ready, or rejects after timeoutMs. */
export function waitReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
