/**
 * The composition root: builds the store, password hashing, identity service, guard, backends and
 * the one decision pipeline from a validated configuration. Front ends receive the App.
 */
import { isAbsolute, join } from 'node:path';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { buildBackendChain } from './backends/build.js';
import { LocalProcessGroup } from './cluster/process-group.js';
import { LocalBackend } from './backends/local/local-backend.js';
import type { TokenVerifier } from './backends/local/tokens.js';
import { IssuerTokenVerifier } from './backends/tokens/verifier.js';
import type { Config } from './config/schema.js';
import type { GuardAdmin } from './guard/admin.js';
import { buildGuard, type BuiltGuard } from './guard/build.js';
import { MemorySeenIds, NodeSeenIds, STALWART_SEEN_IDS } from './guard/intake/seen-ids.js';
import { startPushOut } from './guard/pushout/push-out.js';
import { redisConfigured } from './guard/state/redis-connect.js';
import type { GuardState } from './guard/state/state.js';
import { IdentityService } from './identity/service.js';
import { PasswordPolicy } from './identity/password-policy.js';
import { generateAppPassword, looksLikeAppPassword } from './passwords/app-password.js';
import { PasswordHasher } from './passwords/hasher.js';
import type { Attempt } from './pipeline/attempt.js';
import type { BackendChain } from './pipeline/backend-chain.js';
import { KeyedHash } from './pipeline/keyed-hash.js';
import { LoggingObserver } from './pipeline/observer.js';
import { ObserverSet } from './pipeline/observer-set.js';
import { DecisionPipeline } from './pipeline/pipeline.js';
import type { AuthBackend, Guard } from './pipeline/ports.js';
import { buildVerificationCache } from './pipeline/redis-verification-cache.js';
import type { VerificationCache } from './pipeline/verification-cache.js';
import { loadServerKey } from './server-key.js';
import { LastUseCoalescer } from './store/last-use-coalescer.js';
import { openStore } from './store/open.js';
import type { IdentityStore } from './store/store.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { Metrics } from './telemetry/metrics.js';

export interface App {
  config: Config;
  log: Logger;
  metrics: Metrics;
  store: IdentityStore;
  passwords: PasswordHasher;
  identity: IdentityService;
  pipeline: DecisionPipeline;
  /** The authentication backends: `lookup(login)`, `findByAddress(address)` and `search(query)` serve upstream accounts too. */
  backends: BackendChain;
  guard: Guard;
  /** Bans, allow-list, explain, stats for the admin/Weakforced/Nauthilus APIs and the CLI; null when overridden. */
  guardAdmin: GuardAdmin | null;
  /** The counters and lists under the guard (the cluster primary serves its workers from it); null when overridden. */
  guardState: GuardState | null;
  cache: VerificationCache;
  keyed: KeyedHash;
  /** Every decision is reported to these; front ends may attach more (the admin dashboard, the login log). */
  observers: ObserverSet;
  /** The Prometheus text of /metrics: this process's, or every cluster process's added up. */
  exportMetrics(): Promise<MetricsExport>;
  /** The processes serving this node (one, or a cluster's): node-wide views gather through it. */
  processes: LocalProcessGroup;
  /** Closes everything the app opened, in reverse order. */
  close(): Promise<void>;
  /** Registers something to close with the app (servers, timers). */
  onClose(fn: () => Promise<void> | void): void;
}

export interface MetricsExport {
  contentType: string;
  text: string;
}

export interface AppOverrides {
  log?: Logger;
  guard?: Guard;
  /** The guard counts into this state instead of memory or Redis (a cluster worker's RemoteState). */
  guardState?: GuardState;
  /** false: bans are not pushed out from here (a cluster worker: its primary pushes them). */
  pushOut?: boolean;
  /** A cluster worker's link to the other processes of the node. */
  processes?: LocalProcessGroup;
  tokens?: TokenVerifier;
  extraBackends?: AuthBackend[];
  metrics?: Metrics;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const closers: Array<() => Promise<void> | void> = [];
  try {
    return await build(config, overrides, closers);
  } catch (err) {
    // A failed start (bad upstream module, unreachable PostgreSQL, …) must not leave connections and
    // reconnect timers behind that keep the process alive: close what was opened, newest first.
    await closeAll(closers).catch(() => undefined);
    throw err;
  }
}

async function build(config: Config, overrides: AppOverrides, closers: Array<() => Promise<void> | void>): Promise<App> {
  const log = overrides.log ?? createLogger({ level: config.log.level });
  const metrics = overrides.metrics ?? new Metrics();
  const store = await openStore({
    driver: config.store.driver,
    sqlitePath: isAbsolute(config.store.sqlitePath) ? config.store.sqlitePath : join(config.dataDir, config.store.sqlitePath),
    postgresUrl: config.store.postgresUrl,
    postgresPoolSize: config.store.postgresPoolSize,
    ...(config.store.postgresSchema ? { postgresSchema: config.store.postgresSchema } : {}),
  });
  closers.push(() => store.close());
  await store.migrate();

  const passwords = await PasswordHasher.create({
    params: config.passwords.argon2,
    admission: { maxRunning: config.passwords.maxConcurrent, maxQueued: config.passwords.maxQueued },
  });
  const policy = new PasswordPolicy(config.passwords.minLength, config.passwords.breachedListFile);
  const identity = new IdentityService(store, passwords, generateAppPassword, policy);
  const keyed = new KeyedHash(loadServerKey(config.serverKey, config.dataDir));
  const cache = buildVerificationCache(config, (fn) => closers.push(fn), log);
  const built = overrides.guard ? null : await buildGuard(config, { log, registry: metrics.registry, ...(overrides.guardState ? { state: overrides.guardState } : {}) });
  if (built) closers.push(() => built.close());
  const pushOut = built && overrides.pushOut !== false ? startPushOut(built.guard.admin, config.guard.pushOut, { log, registry: metrics.registry }) : null;
  if (pushOut) closers.push(() => pushOut.close());
  const guard: Guard = overrides.guard ?? (built as BuiltGuard).guard;

  // Last use is written at most once a minute per app password (and at once on a new protocol or address).
  const lastUse = new LastUseCoalescer();
  const onAppPasswordUsed = (id: string, attempt: Attempt): void => {
    const use = { at: new Date(), protocol: attempt.protocol, ip: attempt.clientIp };
    if (!lastUse.due(id, use)) return;
    store.touchAppPassword(id, use).catch((err: unknown) => {
      lastUse.failed(id);
      log.warn({ event: 'app-password.touch-failed', err }, 'could not record app password use');
    });
  };
  const local = new LocalBackend({
    store,
    passwords,
    tokens: overrides.tokens ?? (await issuerTokens(store, config)),
    masterSeparator: config.auth.masterSeparator,
    looksLikeAppPassword,
    upgradeHash: (userId, password) => identity.upgradeHash(userId, password),
    onAppPasswordUsed,
    onBackgroundError: (what, err) => log.warn({ event: 'auth.background-failed', what, err }, `${what} failed`),
  });
  const backends = await buildBackendChain(config.backends, {
    local,
    identity,
    log,
    registry: metrics.registry,
    looksLikeAppPassword,
    onAppPasswordUsed,
    extra: overrides.extraBackends ?? [],
  });
  closers.push(() => backends.close());
  const processes = overrides.processes ?? new LocalProcessGroup();
  processes.provide('metrics', () => metrics.registry.getMetricsAsJSON());
  // Without Redis, webhook batches are de-duplicated in the memory of the node's primary (or sole) process.
  if (config.guard.stalwartWebhook.signatureKey !== undefined && !redisConfigured(config.redis)) {
    NodeSeenIds.provide(processes, STALWART_SEEN_IDS, new MemorySeenIds(config.guard.stalwartWebhook.dedupeSeconds * 1000));
  }
  const observers = new ObserverSet([new LoggingObserver(log, metrics)], (err) =>
    log.warn({ event: 'auth.observer-failed', err }, 'a pipeline observer failed'),
  );
  const pipeline = new DecisionPipeline({
    guard,
    backends,
    cache,
    cacheTtlSeconds: config.auth.cacheTtlSeconds,
    keyed,
    dummyVerify: async (secret, signal) => {
      await passwords.verify(null, secret, signal ? { signal } : {});
    },
    observer: observers,
  });

  return {
    config,
    log,
    metrics,
    store,
    passwords,
    identity,
    pipeline,
    backends,
    guard,
    guardAdmin: built?.guard.admin ?? null,
    guardState: built?.state ?? null,
    cache,
    keyed,
    observers,
    exportMetrics: () => exportMetrics(metrics, processes),
    processes,
    onClose: (fn) => closers.push(fn),
    close: () => closeAll(closers),
  };
}

/** One process: its registry as it is. Several: every process's metrics added up (prom-client's cluster rules). */
async function exportMetrics(metrics: Metrics, processes: LocalProcessGroup): Promise<MetricsExport> {
  const { contentType } = metrics.registry;
  if (processes.alone) return { contentType, text: await metrics.registry.metrics() };
  const parts = await processes.gather<Awaited<ReturnType<Registry['getMetricsAsJSON']>>>('metrics');
  return { contentType, text: await AggregatorRegistry.aggregate(parts).metrics() };
}

/** Runs the closers newest first, each once, even when close is called twice. */
async function closeAll(closers: Array<() => Promise<void> | void>): Promise<void> {
  for (let fn = closers.pop(); fn; fn = closers.pop()) await fn();
}

/** Trusted issuers come from the store and are re-read on a TTL, so the verifier exists even with none yet. */
async function issuerTokens(store: IdentityStore, config: Config): Promise<TokenVerifier> {
  const verifier = new IssuerTokenVerifier({
    store,
    leewaySeconds: config.auth.tokenLeewaySeconds,
    jwksCacheSeconds: config.auth.jwksCacheSeconds,
    issuerRefreshSeconds: config.auth.issuerRefreshSeconds,
    fetchTimeoutMs: config.auth.tokenFetchTimeoutMs,
  });
  await verifier.issuers.current();
  return verifier;
}
