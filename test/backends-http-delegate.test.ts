/**
 * The HTTP delegate against a local customer service (node:http): signed requests, valid and
 * invalid answers, and everything that must be a temporary failure (timeout, garbage, non-2xx,
 * a signature the service refuses), through the real pipeline.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { verifySignature } from '../src/backends/index.js';
import type { Attempt } from '../src/pipeline/attempt.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'shared-secret-0123456789';
let behaviour: 'normal' | 'slow' | 'garbage' | 'error' = 'normal';
const seen: Array<Record<string, unknown>> = [];

/** The customer's service: checks the signature with the helper Portcullis exports, like a customer would. */
function customerService(secret: string): Server {
  return createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (!verifySignature(secret, body, req.headers['x-portcullis-signature'] as string | undefined)) {
      res.writeHead(401).end('{"error":"bad signature"}');
      return;
    }
    const request = JSON.parse(body.toString('utf8')) as { login: string; password?: string; mode: string };
    seen.push(request);
    const send = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (behaviour === 'slow') return void setTimeout(() => send({ ok: true, account: { login: 'gina' } }), 500);
    if (behaviour === 'garbage') return void res.writeHead(200).end('<html>oops</html>');
    if (behaviour === 'error') return void res.writeHead(502).end('bad gateway');
    if (request.login !== 'gina@partner.example') return send({ ok: false, reason: 'unknown-user' });
    const account = { login: 'gina', id: '0d9c0a55-3b8e-4f55-9a51-3f2d4f1d2f10', mail: 'gina@partner.example', groups: ['partners'] };
    if (request.mode === 'lookup') return send({ ok: true, account });
    return send(request.password === 'gina-password-1' ? { ok: true, account } : { ok: false });
  });
}

let good: Server;
let wrongKey: Server;
let app: TestApp;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth`;
}

before(async () => {
  good = customerService(SECRET);
  wrongKey = customerService('another-secret-0123456789');
  const upstream = { type: 'http' as const, secret: SECRET, timeoutMs: 200, cacheSeconds: 0, breaker: { failureThreshold: 100, openSeconds: 1 } };
  app = await createTestApp({
    backends: {
      order: ['local'],
      routes: { 'partner.example': ['partner'], 'other.example': ['misconfigured'] },
      upstreams: [
        { ...upstream, name: 'partner', url: await listen(good), lookup: true },
        { ...upstream, name: 'misconfigured', url: await listen(wrongKey) },
      ],
    },
  });
});

after(async () => {
  await app.close();
  good.close();
  wrongKey.close();
});

const attempt = (login: string, secret: string): Attempt => ({ login, secret, mode: 'authenticate', protocol: 'smtp', clientIp: '203.0.113.5', relayIp: null, tls: true, frontEnd: 'test' });

test('valid and invalid credentials, with the attempt’s context in a signed body', async () => {
  const ok = await app.pipeline.decide(attempt('gina@partner.example', 'gina-password-1'));
  assert.deepEqual(ok.ok && [ok.account.uid, ok.account.backend, ok.account.groups], ['gina', 'partner', ['partners']]);
  const last = seen.at(-1) ?? {};
  assert.deepEqual([last.mode, last.protocol, last.client_ip, last.tls, typeof last.timestamp], ['authenticate', 'smtp', '203.0.113.5', true, 'number']);
  const wrong = await app.pipeline.decide(attempt('gina@partner.example', 'nope'));
  assert.equal(!wrong.ok && wrong.reason, 'invalid-credentials');
  const unknown = await app.pipeline.decide(attempt('hal@partner.example', 'x'));
  assert.equal(!unknown.ok && unknown.reason, 'invalid-credentials');
  assert.equal((await app.backends.lookup('gina@partner.example'))?.mail, 'gina@partner.example');
});

for (const [what, mode, detail] of [
  ['a timeout', 'slow', /no answer within 200 ms/],
  ['garbage', 'garbage', /garbled HTTP answer/],
  ['a non-2xx status', 'error', /HTTP 502/],
] as const) {
  test(`${what} is a temporary failure, never a wrong password`, async () => {
    behaviour = mode;
    try {
      const decision = await app.pipeline.decide(attempt('gina@partner.example', 'gina-password-1'));
      assert.equal(!decision.ok && decision.reason, 'temporary-failure');
      assert.match(!decision.ok ? decision.detail ?? '' : '', detail);
    } finally {
      behaviour = 'normal';
    }
  });
}

test('a service that refuses our signature answers 401: a temporary failure', async () => {
  const decision = await app.pipeline.decide(attempt('gina@other.example', 'gina-password-1'));
  assert.equal(!decision.ok && decision.reason, 'temporary-failure');
  assert.match(!decision.ok ? decision.detail ?? '' : '', /HTTP 401/);
});
