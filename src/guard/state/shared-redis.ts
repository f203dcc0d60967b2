/**
 * One ioredis connection per configuration for the small Redis users beside the guard's state (the
 * verification cache, webhook de-duplication): made on first use, closed with the app.
 */
import type { Config } from '../../config/schema.js';
import { connectRedis, redisConfigured, type RedisClient } from './redis-connect.js';

const clients = new WeakMap<Config['redis'], RedisClient>();

/** null without redis.url/sentinels/cluster. `onClose` registers the disconnect (App.onClose). */
export function sharedRedis(config: Pick<Config, 'redis' | 'guard'>, onClose: (fn: () => void) => void): RedisClient | null {
  if (!redisConfigured(config.redis)) return null;
  const existing = clients.get(config.redis);
  if (existing) return existing;
  const client = connectRedis(config.redis, config.guard.redisTimeoutMs);
  // Failures surface on each command (fail fast, no offline queue); reconnects are ioredis's business.
  client.on('error', () => {});
  clients.set(config.redis, client);
  onClose(() => {
    clients.delete(config.redis);
    client.disconnect();
  });
  return client;
}
