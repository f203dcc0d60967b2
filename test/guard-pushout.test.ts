// Ban push-out against real receivers on loopback: a signed webhook (retried after a failure), a
// command run without a shell, and a fake Stalwart admin API checked for the request shapes; plus
// a dead Redis: the cache misses, the webhook intake answers 503 and counts nothing, logins work.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildHttpServer } from '../src/frontends/http/server.js';
import { freePort } from './peers/common.js';
import { eventually } from './guard-node.js';
import { createTestApp, seedAlice, type TestApp } from './support/test-app.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(answer: (r: Received, n: number) => number): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      got.push(r);
      const status = answer(r, got.length);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(r.path === '/jmap' ? JSON.stringify({ methodResponses: [['x:BlockedIp/set', { created: { portcullis: { id: 'b1' } } }, 'c0']] }) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, got, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('ban push-out', () => {
  const SECRET = 'push-secret-0123456789';
  let hook: Awaited<ReturnType<typeof receiver>>;
  let stalwart: Awaited<ReturnType<typeof receiver>>;
  let dir: string;
  let app: TestApp;

  before(async () => {
    hook = await receiver((_r, n) => (n === 1 ? 500 : 200)); // the first delivery fails: retried
    stalwart = await receiver(() => 200);
    dir = mkdtempSync(join(tmpdir(), 'portcullis-pushout-'));
    const script = join(dir, 'hook.sh');
    // Each argument on its own line: shows they arrive as argv, never re-parsed by a shell.
    writeFileSync(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> ${join(dir, 'calls.txt')}; done\n`);
    chmodSync(script, 0o755);
    app = await createTestApp({
      guard: {
        pushOut: {
          webhooks: [{ name: 'siem', url: `${hook.url}/bans`, secret: SECRET }],
          command: { path: script, args: ['--set', 'portcullis; rm -rf /'] },
          stalwart: { url: stalwart.url, apiKey: 'stalwart-api-key' },
          retryBaseMs: 20,
        },
      },
    });
  });

  after(async () => {
    await app.close();
    await hook.close();
    await stalwart.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a ban and its unban reach every target, signed, in order', async () => {
    await app.guardAdmin!.addBan({ ip: '203.0.113.7', ttlSeconds: 900, reason: 'test' });
    await app.guardAdmin!.removeBan({ ip: '203.0.113.7' });
    assert.ok(await eventually(async () => hook.got.length >= 3, 5000), `webhook got ${hook.got.length}`);
    const [failed, ban, unban] = hook.got;
    assert.equal(failed?.body, ban?.body, 'the failed delivery was retried as is');
    for (const r of [ban, unban]) assert.equal(r?.headers['x-portcullis-signature'], createHmac('sha256', SECRET).update(r?.body ?? '').digest('base64'));
    const b = JSON.parse(ban?.body ?? '{}') as Record<string, unknown>;
    assert.equal(b['event'], 'guard.ban');
    assert.equal(b['cidr'], '203.0.113.7/32');
    assert.ok(Number(b['ttlSeconds']) > 890);
    assert.equal((JSON.parse(unban?.body ?? '{}') as Record<string, unknown>)['event'], 'guard.unban');

    assert.ok(await eventually(async () => readFileSafe(join(dir, 'calls.txt')).split('\n').length >= 10, 5000));
    assert.deepEqual(readFileSafe(join(dir, 'calls.txt')).trim().split('\n'), ['--set', 'portcullis; rm -rf /', 'ban', '203.0.113.7/32', '900', '--set', 'portcullis; rm -rf /', 'unban', '203.0.113.7/32', '0']);

    assert.ok(await eventually(async () => stalwart.got.length >= 2, 5000));
    const [sBan, sUnban] = stalwart.got;
    assert.equal(sBan?.path, '/jmap');
    assert.equal(sBan?.headers.authorization, 'Bearer stalwart-api-key');
    const req = JSON.parse(sBan?.body ?? '{}') as { using: string[]; methodCalls: unknown[][] };
    assert.deepEqual(req.using, ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap']);
    assert.equal(req.methodCalls[0]?.[0], 'x:BlockedIp/set');
    assert.match(JSON.stringify(req.methodCalls[0]?.[1]), /"address":"203\.0\.113\.7","reason":"manual"/);
    assert.match(sUnban?.body ?? '', /x:BlockedIp\/query.*"#destroy"/);
  });

  test('address+login bans are not pushed (they concern one account)', async () => {
    const before = hook.got.length;
    await app.guardAdmin!.addBan({ ip: '203.0.113.8', login: 'bob', ttlSeconds: 60 });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(hook.got.length, before);
  });
});

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe('a dead Redis', () => {
  const HOOK_KEY = 'stalwart-signature-key-0123456789';
  let app: TestApp;

  before(async () => {
    const port = await freePort(); // nothing listens there
    app = await createTestApp({ redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'dead:' }, guard: { stalwartWebhook: { signatureKey: HOOK_KEY }, redisTimeoutMs: 100 } });
    await seedAlice(app, 'alice-password-1');
  });
  after(async () => {
    await app.close();
  });

  test('logins still work (cache misses, counting in memory), webhook batches get 503 and count nothing', async () => {
    const http = await buildHttpServer(app);
    try {
      for (let i = 0; i < 2; i++) {
        const res = await http.inject({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'alice', password: 'alice-password-1', client_ip: '192.0.2.9' }) });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().ok, true);
      }
      const body = JSON.stringify({ events: [{ id: 'd1', type: 'auth.failed', data: { remoteIp: '192.0.2.10' } }] });
      const res = await http.inject({ method: 'POST', url: '/api/v1/webhooks/stalwart', headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', HOOK_KEY).update(body).digest('base64') }, payload: body });
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error, 'intake-unavailable');
      assert.equal((await app.guardAdmin!.explain('192.0.2.10')).rules.find((r) => r.rule === 'ip-bruteforce')?.count, 0);
      assert.equal((await http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process stays up');
    } finally {
      await http.close();
    }
  });
});
