/** Builds the guard from the configuration: memory or Redis state, DNSBL, metrics and logs. */
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { Logger } from '../telemetry/logger.js';
import { systemClock, type Clock } from './clock.js';
import { DnsblChecker } from './dnsbl/checker.js';
import { DetectionGuard } from './guard.js';
import { guardMetrics, type GuardMetrics } from './metrics.js';
import { MemoryState } from './state/memory-state.js';
import { connectRedis, redisConfigured } from './state/redis-connect.js';
import { RedisState } from './state/redis-state.js';
import { ResilientState } from './state/resilient-state.js';
import type { GuardState } from './state/state.js';

export interface BuiltGuard {
  guard: DetectionGuard;
  state: GuardState;
  close(): Promise<void>;
}

export interface BuildOptions {
  log?: Logger;
  registry?: Registry;
  clock?: Clock;
  /** Count into this state instead (a cluster worker's RemoteState); Redis, when configured, still wins. */
  state?: GuardState;
}

export async function buildGuard(config: Pick<Config, 'guard' | 'redis'>, options: BuildOptions = {}): Promise<BuiltGuard> {
  const clock = options.clock ?? systemClock;
  const { log } = options;
  const g = config.guard;
  let state: GuardState = options.state ?? new MemoryState(g.limits);
  // The gauge reads the state lazily: it exists only once the state does.
  const metrics: GuardMetrics | undefined = options.registry ? guardMetrics(options.registry, () => state.stats(clock()).bans) : undefined;
  if (redisConfigured(config.redis)) state = await redisState(config, clock, log, metrics);
  const dnsbl = g.dnsbl.enabled ? new DnsblChecker(g.dnsbl, clock, metrics) : null;
  const guard = new DetectionGuard({ config: g, state, clock, dnsbl, ...(log ? { log } : {}), ...(metrics ? { metrics } : {}) });
  log?.info({ event: 'guard.start', backend: state.stats(clock()).backend, rules: guard.admin.stats().rules, dnsbl: dnsbl !== null }, 'guard started');
  return { guard, state, close: () => state.close() };
}

async function redisState(config: Pick<Config, 'guard' | 'redis'>, clock: Clock, log: Logger | undefined, metrics: GuardMetrics | undefined): Promise<GuardState> {
  const g = config.guard;
  const client = connectRedis(config.redis, g.redisTimeoutMs);
  // ioredis reports every reconnect attempt as an error event; the state hooks log transitions instead.
  client.on('error', () => {});
  const redis = new RedisState({
    client,
    keyPrefix: config.redis.keyPrefix,
    maxMembers: g.limits.maxMembers,
    resyncSeconds: g.banResyncSeconds,
    clock,
    onError: (what, err) => log?.debug({ event: 'guard.state-error', what, err }, `redis ${what} failed`),
  });
  const state = new ResilientState(
    redis,
    new MemoryState(g.limits),
    {
      failed: (op) => metrics?.stateFailures.inc({ op }),
      down: (err) => {
        metrics?.degraded.set(1);
        log?.error({ event: 'guard.state-down', err, policy: g.redisFailure }, `redis unreachable: counting in memory, failing ${g.redisFailure}`);
      },
      up: () => {
        metrics?.degraded.set(0);
        log?.warn({ event: 'guard.state-up' }, 'redis reachable again: shared counting resumed');
      },
    },
    clock,
  );
  try {
    await redis.start();
  } catch (err) {
    log?.error({ event: 'guard.state-down', err, policy: g.redisFailure }, 'redis unreachable at start: counting in memory until it answers');
  }
  return state;
}
