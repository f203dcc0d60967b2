/** A real App on a temporary SQLite store with cheap argon2 parameters, for in-process tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Actor } from '../../src/identity/service.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { Metrics } from '../../src/telemetry/metrics.js';

export const TEST_ACTOR: Actor = { actor: 'test', source: '127.0.0.1' };

export interface TestApp extends App {
  dataDir: string;
}

/** `config` is merged over test defaults: SQLite in a temp dir, argon2 at its cheapest, silent logs. */
export async function createTestApp(config: ConfigInput = {}, overrides: AppOverrides = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
  const merged = validateConfig({
    ...config,
    dataDir,
    passwords: { argon2: { memoryKiB: 8192, iterations: 1, parallelism: 1 }, minLength: 8, ...config.passwords },
    log: { level: 'silent', ...config.log },
  });
  const app = await createApp(merged, {
    log: createLogger({ level: merged.log.level }),
    metrics: new Metrics({ defaults: false }),
    ...overrides,
  });
  app.onClose(() => rmSync(dataDir, { recursive: true, force: true }));
  return Object.assign(app, { dataDir });
}

/** Adds example.org and a user alice@example.org with the given password. */
export async function seedAlice(app: App, password = 'alice-password-1'): Promise<void> {
  if (!(await app.store.getDomain('example.org'))) await app.identity.addDomain('example.org', TEST_ACTOR);
  await app.identity.addUser({ mail: 'alice@example.org', displayName: 'Alice Example', password, aliases: ['a@example.org'] }, TEST_ACTOR);
}
