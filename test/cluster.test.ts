/**
 * `portcullis serve` with workers: 2 — two processes on the same LDAP and HTTP ports, one guard,
 * whether the primary holds its state or Redis does. Connections alternate between the workers, so
 * the exact ban threshold proves the counters are shared, not split per worker; the ban a worker
 * makes is pushed out once, by the primary.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { freePort } from './peers/common.js';
import { redisSkipReason, TEST_REDIS_URL } from './support/redis.js';

const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
const TSX = import.meta.resolve('tsx');
const THRESHOLD = 6;
const HOOK_KEY = 'stalwart-signature-key-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One login on a fresh connection (agent: false), so the cluster hands each to the next worker. */
function login(port: number, password: string, ip: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ username: 'demo@example.org', password, protocol: 'imap', client_ip: ip });
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/auth/json', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function workerPids(primary: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primary), '-f', 'cli/entry'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const redisSkip = await redisSkipReason();

for (const mode of ['memory', 'redis'] as const) describe(`serve with two workers, guard state in ${mode === 'memory' ? 'the primary' : 'Redis'}`, { skip: mode === 'redis' && redisSkip }, () => {
  let dir: string;
  let child: ChildProcess;
  let httpPort: number;
  let ldapPort: number;
  let output = '';
  let hooks: Server;
  const pushed: Array<{ event: string; target?: string }> = [];

  before(async () => {
    hooks = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        pushed.push(JSON.parse(text) as { event: string });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
    httpPort = await freePort();
    ldapPort = await freePort();
    writeFileSync(
      join(dir, 'portcullis.yaml'),
      JSON.stringify({
        workers: 2,
        ...(mode === 'redis' ? { redis: { url: TEST_REDIS_URL, keyPrefix: `portcullis:cluster-test:${process.pid}:` } } : {}),
        http: { listen: { host: '127.0.0.1', port: httpPort } },
        ldap: { listen: { host: '127.0.0.1', port: ldapPort } },
        guard: {
          stalwartWebhook: { signatureKey: HOOK_KEY },
          rules: [{ name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: THRESHOLD, action: { type: 'ban', ttlSeconds: 600 } }],
          pushOut: { webhooks: [{ name: 'firewall', url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`, secret: 'a-test-secret-of-enough-length' }] },
        },
      }),
    );
    child = spawn(process.execPath, ['--import', TSX, ENTRY, 'demo'], { cwd: dir, env: { ...process.env, CI: process.env['CI'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('"event":"cluster.start"'); i++) await sleep(100);
    assert.match(output, /"event":"cluster.start"/, output);
  });

  after(async () => {
    child?.kill('SIGKILL');
    hooks?.close();
    await sleep(100);
    rmSync(dir, { recursive: true, force: true });
  });

  test('two worker processes serve the same ports', async () => {
    assert.equal(workerPids(child.pid ?? 0).length, 2);
    const ok = await login(httpPort, 'demo-password-123', '192.0.2.10');
    assert.equal(ok.status, 200);
    const ldap = new Client({ url: `ldap://127.0.0.1:${ldapPort}` });
    await ldap.bind('uid=demo,ou=users,dc=example,dc=org', 'demo-password-123');
    await ldap.unbind();
  });

  test('guesses served by different workers count together: the ban comes at exactly the threshold', async () => {
    const ip = '203.0.113.77';
    for (let i = 1; i < THRESHOLD; i++) {
      const r = await login(httpPort, `wrong-${i}`, ip);
      assert.equal(r.status, 403, `guess ${i} is refused as a wrong password`);
      assert.doesNotMatch(r.body, /banned/);
    }
    assert.equal((await login(httpPort, 'wrong-last', ip)).status, 403);
    for (let i = 0; i < 4; i++) {
      const r = await login(httpPort, 'demo-password-123', ip);
      assert.match(r.body, /banned|blocked/i, `every worker refuses the banned address (try ${i + 1}): ${r.body}`);
    }
  });

  test('the ban is pushed out once, by the primary', async () => {
    for (let i = 0; i < 50 && pushed.length === 0; i++) await sleep(100);
    await sleep(300);
    assert.deepEqual(pushed.map((p) => p.event), ['guard.ban']);
  });

  test('/metrics adds up every worker', async () => {
    const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    const total = text
      .split('\n')
      .filter((l) => l.startsWith('portcullis_auth_attempts_total{') && l.includes('front_end="nauthilus"'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    // 1 login, THRESHOLD guesses, 4 refused while banned.
    assert.equal(total, 1 + THRESHOLD + 4, text);
    // Every process knows the ban; it is one ban, not one per process.
    assert.match(text, /^portcullis_guard_active_bans 1$/m);
    assert.match(text, /portcullis_guard_pushout_total\{target="webhook:firewall",result="delivered"\} 1/);
  });

  test('the admin dashboard shows the whole node, not the worker that answers', async () => {
    const created = execFileSync(process.execPath, ['--import', TSX, ENTRY, '--json', 'admin-token', 'create', 'admin@example.org', 'cluster-test'], { cwd: dir, encoding: 'utf8' });
    const { token } = JSON.parse(created) as { token: string };
    for (let i = 0; i < 2; i++) {
      // Fresh connections: each worker answers once, and each must show every worker's logins.
      const stats = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: httpPort, path: '/api/admin/v1/stats', agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      const { totals } = JSON.parse(stats) as { totals: Record<string, number> };
      // The HTTP and LDAP logins, THRESHOLD wrong guesses, 4 refused while banned.
      assert.deepEqual(totals, { accepted: 2, failed: THRESHOLD, blocked: 4 }, stats);
    }
  });

  test('a Stalwart webhook batch redelivered to the other worker is counted once', async () => {
    const body = JSON.stringify({ events: [1, 2].map((i) => ({ id: `cluster-ev-${mode}-${i}`, type: 'auth.failed', data: { remoteIp: '203.0.113.90' } })) });
    const signature = createHmac('sha256', HOOK_KEY).update(body).digest('base64');
    const deliveries: Array<Record<string, number>> = [];
    for (let i = 0; i < 2; i++) {
      // Fresh connections: the two deliveries reach different workers.
      deliveries.push(
        await new Promise((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: httpPort, path: '/api/v1/webhooks/stalwart', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-signature': signature, 'content-length': Buffer.byteLength(body) } }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve(JSON.parse(text) as Record<string, number>));
          });
          req.on('error', reject);
          req.end(body);
        }),
      );
    }
    assert.equal(deliveries[0]?.['counted'], 2, JSON.stringify(deliveries));
    assert.equal(deliveries[1]?.['duplicates'], 2, JSON.stringify(deliveries));
  });

  test('a worker that dies is replaced', async () => {
    const [victim] = workerPids(child.pid ?? 0);
    assert.ok(victim);
    process.kill(victim, 'SIGKILL');
    let pids: number[] = [];
    for (let i = 0; i < 100; i++) {
      await sleep(100);
      pids = workerPids(child.pid ?? 0);
      if (pids.length === 2 && !pids.includes(victim)) break;
    }
    assert.equal(pids.length, 2, output);
    assert.ok(!pids.includes(victim));
    for (let i = 0; i < 4; i++) assert.equal((await login(httpPort, 'demo-password-123', '192.0.2.10')).status, 200);
  });

  test('SIGTERM stops the primary and its workers', async () => {
    const pids = workerPids(child.pid ?? 0);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), 'worker gone');
  });
});

describe('serve with two workers, when a worker cannot start', () => {
  test('the primary stops its workers and exits with the error, instead of waiting forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-fail-'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const env = { ...process.env, PORTCULLIS_WORKERS: '2', PORTCULLIS_HTTP__LISTEN__PORT: String((taken.address() as AddressInfo).port), PORTCULLIS_LDAP__LISTEN__PORT: String(await freePort()) };
      const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve(-1)), 30_000);
        child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
      });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /EADDRINUSE/);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
