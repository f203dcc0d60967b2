/**
 * The composition root: builds the store, password hashing, identity service, guard, backends and
 * the one decision pipeline from a validated configuration. Front ends receive the App.
 */
import { isAbsolute, join } from 'node:path';
import { LocalBackend } from './backends/local/local-backend.js';
import { NO_TOKENS, type TokenVerifier } from './backends/local/tokens.js';
import type { Config } from './config/schema.js';
import { IdentityService } from './identity/service.js';
import { PasswordPolicy } from './identity/password-policy.js';
import { generateAppPassword, looksLikeAppPassword } from './passwords/app-password.js';
import { PasswordHasher } from './passwords/hasher.js';
import { AllowAllGuard } from './pipeline/allow-all-guard.js';
import { BackendChain } from './pipeline/backend-chain.js';
import { KeyedHash } from './pipeline/keyed-hash.js';
import { LoggingObserver } from './pipeline/observer.js';
import { DecisionPipeline } from './pipeline/pipeline.js';
import type { AuthBackend, Guard } from './pipeline/ports.js';
import { MemoryVerificationCache, type VerificationCache } from './pipeline/verification-cache.js';
import { loadServerKey } from './server-key.js';
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
  guard: Guard;
  cache: VerificationCache;
  keyed: KeyedHash;
  /** Closes everything the app opened, in reverse order. */
  close(): Promise<void>;
  /** Registers something to close with the app (servers, timers). */
  onClose(fn: () => Promise<void> | void): void;
}

export interface AppOverrides {
  log?: Logger;
  guard?: Guard;
  tokens?: TokenVerifier;
  extraBackends?: AuthBackend[];
  metrics?: Metrics;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger({ level: config.log.level });
  const metrics = overrides.metrics ?? new Metrics();
  const closers: Array<() => Promise<void> | void> = [];
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
  const cache = new MemoryVerificationCache(config.auth.cacheMaxEntries);
  const guard = overrides.guard ?? new AllowAllGuard();

  const local = new LocalBackend({
    store,
    passwords,
    tokens: overrides.tokens ?? NO_TOKENS,
    masterSeparator: config.auth.masterSeparator,
    looksLikeAppPassword,
    upgradeHash: (userId, password) => identity.upgradeHash(userId, password),
    onAppPasswordUsed: (id, attempt) => {
      store
        .touchAppPassword(id, { at: new Date(), protocol: attempt.protocol, ip: attempt.clientIp })
        .catch((err: unknown) => log.warn({ event: 'app-password.touch-failed', err }, 'could not record app password use'));
    },
    onBackgroundError: (what, err) => log.warn({ event: 'auth.background-failed', what, err }, `${what} failed`),
  });
  const backends = new BackendChain([local, ...(overrides.extraBackends ?? [])]);
  const pipeline = new DecisionPipeline({
    guard,
    backends,
    cache,
    cacheTtlSeconds: config.auth.cacheTtlSeconds,
    keyed,
    dummyVerify: async (secret, signal) => {
      await passwords.verify(null, secret, signal ? { signal } : {});
    },
    observer: new LoggingObserver(log, metrics),
  });

  return {
    config,
    log,
    metrics,
    store,
    passwords,
    identity,
    pipeline,
    guard,
    cache,
    keyed,
    onClose: (fn) => closers.push(fn),
    close: async () => {
      for (const fn of closers.reverse()) await fn();
    },
  };
}
