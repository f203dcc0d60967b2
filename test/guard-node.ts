// A real Portcullis server process (`portcullis serve` via tsx) for the guard's multi-process tests:
// its own temp data directory and ports, a YAML config, alice seeded before it starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app.js';
import { validateConfig } from '../src/config/load.js';
import { createLogger } from '../src/telemetry/logger.js';
import { Metrics } from '../src/telemetry/metrics.js';
import { freePort } from './peers/common.js';
import { TEST_ACTOR } from './support/test-app.js';

const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
const TSX = import.meta.resolve('tsx');

export const ALICE = { login: 'alice', mail: 'alice@example.org', password: 'alice-password-1' };

export interface Node {
  httpUrl: string;
  httpPort: number;
  ldapPort: number;
  dir: string;
  configFile: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `portcullis serve` with `config` merged over test defaults and waits for /healthz. */
export async function startNode(config: Record<string, unknown>): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-node-'));
  const [httpPort, ldapPort] = [await freePort(), await freePort()];
  const raw = {
    ...config,
    dataDir: dir,
    passwords: { argon2: { memoryKiB: 8192, iterations: 1, parallelism: 1 }, minLength: 8 },
    http: { listen: { host: '127.0.0.1', port: httpPort }, ...(config['http'] as object | undefined) },
    ldap: { listen: { host: '127.0.0.1', port: ldapPort }, ...(config['ldap'] as object | undefined) },
    log: { level: 'info' },
  };
  const configFile = join(dir, 'portcullis.yaml');
  writeFileSync(configFile, JSON.stringify(raw, null, 2)); // JSON is YAML
  await seed(raw);
  const logFile = join(dir, 'node.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'serve', '-c', configFile], { cwd: dir, stdio: ['ignore', fd, fd] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const node: Node = {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    httpPort,
    ldapPort,
    dir,
    configFile,
    logTail: (lines = 40) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      }
      live.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portcullis serve exited (${child.exitCode}):\n${node.logTail()}`);
    try {
      if ((await fetch(`${node.httpUrl}/healthz`)).ok) return node;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error('portcullis serve did not answer /healthz within 30 s');
    }
    await sleep(100);
  }
}

/** alice@example.org in the node's own store, before the server opens it. */
async function seed(raw: Record<string, unknown>): Promise<void> {
  const app = await createApp(validateConfig(raw), { log: createLogger({ level: 'silent' }), metrics: new Metrics({ defaults: false }) });
  try {
    await app.identity.addDomain('example.org', TEST_ACTOR);
    await app.identity.addUser({ mail: ALICE.mail, displayName: 'Alice', password: ALICE.password }, TEST_ACTOR);
  } finally {
    await app.close();
  }
}

/** POST JSON with an API key; answers status and parsed body. */
export async function post(url: string, key: string, body: unknown, method = 'POST'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Polls until fn() is true or the time is up; answers the last value. */
export async function eventually(fn: () => Promise<boolean>, ms: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}
