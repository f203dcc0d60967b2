import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { ALICE_PASSWORD, startHttpTest, visible, type HttpTest } from '../../../test/support/http-testing.js';

const json = (body: unknown) => ({ method: 'POST' as const, url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

describe('HTTP server: health and bad input', () => {
  let t: HttpTest;
  before(async () => {
    t = await startHttpTest({ http: { bodyLimitBytes: 2048 } });
  });
  after(() => t.close());

  test('/healthz and /readyz', async () => {
    assert.deepEqual((await t.http.inject({ url: '/healthz' })).json(), { ok: true });
    const ready = await t.http.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
  });

  test('unknown paths answer 404 in the error shape', async () => {
    const res = await t.http.inject({ url: '/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'not-found');
  });

  const bad: Array<[string, () => InjectOptions, number, string]> = [
    ['invalid JSON', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: `{"username":"alice","password":"${ALICE_PASSWORD}"` }), 400, 'invalid-json'],
    ['empty JSON body', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: '' }), 400, 'empty-body'],
    ['wrong content type', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'text/plain' }, payload: `username=alice&password=${ALICE_PASSWORD}` }), 415, 'unsupported-media-type'],
    ['form content type', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' }), 415, 'unsupported-media-type'],
    ['non-UTF-8 body', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0x22, 0x75, 0xff, 0xfe, 0x22, 0x7d]) }), 400, 'invalid-utf8'],
    ['latin-1 charset', () => ({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, payload: '{}' }), 415, 'unsupported-charset'],
    ['oversized body', () => json({ username: 'alice', password: 'x'.repeat(4096) }), 413, 'body-too-large'],
    ['a JSON array', () => ({ ...json([1, 2]) }), 400, 'invalid-body'],
    ['a JSON string', () => ({ ...json('alice') }), 400, 'invalid-body'],
    ['unknown field', () => json({ username: 'alice', password: ALICE_PASSWORD, pasword: 'x' }), 400, 'unknown-field'],
    ['wrongly typed field', () => json({ username: 'alice', password: 12345 }), 400, 'invalid-field'],
    ['wrongly typed attempt counter', () => json({ username: 'alice', auth_login_attempt: '1' }), 400, 'invalid-field'],
    ['missing username', () => json({ password: ALICE_PASSWORD }), 400, 'missing-field'],
    ['garbage protocol', () => json({ username: 'alice', password: ALICE_PASSWORD, protocol: '<script>' }), 400, 'unknown-protocol'],
    ['garbage client_ip', () => json({ username: 'alice', password: ALICE_PASSWORD, client_ip: '300.1.1.1' }), 400, 'invalid-field'],
    ['bad mode', () => ({ ...json({ username: 'alice' }), url: '/api/v1/auth/json?mode=yolo' }), 400, 'invalid-mode'],
    ['malformed URL', () => ({ method: 'GET', url: '/api/v1/auth/header%' }), 400, 'bad-url'],
  ];
  for (const [name, request, status, code] of bad) {
    test(`${name} → ${status} ${code}, no secret echoed`, async () => {
      const res = await t.http.inject(request());
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error, code);
      assert.equal(typeof res.json().message, 'string');
      assert.ok(!visible(res).includes(ALICE_PASSWORD));
      assert.ok(!visible(res).includes('xxxxxxxx'));
    });
  }

  test('prototype keys are unknown fields, not prototype pollution', async () => {
    const res = await t.http.inject({ ...json({}), payload: '{"username":"alice","__proto__":{"admin":true}}' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'unknown-field');
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });
});

describe('HTTP server: caller authentication', () => {
  let t: HttpTest;
  const nauthilusKey = 'n'.repeat(24);
  const nginxKey = 'g'.repeat(24);
  const officeKey = 'o'.repeat(24);
  before(async () => {
    t = await startHttpTest({
      http: {
        callers: [
          { name: 'dovecot', apiKey: nauthilusKey, endpoints: ['nauthilus'] },
          { name: 'nginx', apiKey: nginxKey, endpoints: ['nginx'] },
          { name: 'office', apiKey: officeKey, endpoints: ['nauthilus', 'opencloud'], networks: ['10.0.0.0/8'] },
        ],
      },
    });
  });
  after(() => t.close());

  const ask = (headers: Record<string, string>, remoteAddress = '192.0.2.7') =>
    t.http.inject({ ...json({ username: 'alice', password: ALICE_PASSWORD }), headers: { 'content-type': 'application/json', ...headers }, remoteAddress });

  test('no key → 401 api-key-required, even from loopback once callers exist', async () => {
    for (const ip of ['192.0.2.7', '127.0.0.1']) {
      const res = await ask({}, ip);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error, 'api-key-required');
    }
  });

  test('a wrong key → 401 invalid-api-key', async () => {
    const res = await ask({ 'x-api-key': 'wrong-key-wrong-key-wrong' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'invalid-api-key');
    assert.ok(!res.body.includes('wrong-key'));
  });

  test('X-API-Key, Bearer, Basic password and the nginx secret header all carry the key', async () => {
    const basic = Buffer.from(`dovecot:${nauthilusKey}`).toString('base64');
    const variants: Array<Record<string, string>> = [{ 'x-api-key': nauthilusKey }, { authorization: `Bearer ${nauthilusKey}` }, { authorization: `Basic ${basic}` }, { 'x-portcullis-key': nauthilusKey }];
    for (const headers of variants) {
      const res = await ask(headers);
      assert.equal(res.statusCode, 200, `${Object.keys(headers)[0]}: ${res.body}`);
    }
  });

  test('a caller may only use its endpoint groups → 403', async () => {
    const res = await ask({ 'x-api-key': nginxKey });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'endpoint-not-allowed');
    const nginx = await t.http.inject({ url: '/auth/nginx', headers: { 'x-portcullis-key': nginxKey, 'auth-protocol': 'imap', 'auth-user': 'alice', 'auth-pass': 'x' }, remoteAddress: '192.0.2.7' });
    assert.equal(nginx.headers['auth-status'], 'Invalid login or password');
    const opencloud = await t.http.inject({ method: 'POST', url: '/auth', headers: { 'x-api-key': nauthilusKey }, remoteAddress: '192.0.2.7' });
    assert.equal(opencloud.statusCode, 403);
  });

  test('a caller restricted to networks is refused elsewhere → 403', async () => {
    assert.equal((await ask({ 'x-api-key': officeKey }, '10.1.2.3')).statusCode, 200);
    const res = await ask({ 'x-api-key': officeKey }, '192.0.2.7');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'network-not-allowed');
  });

  test('OpenCloud /auth: the Authorization header is the user\'s, the key comes in X-API-Key', async () => {
    const basic = Buffer.from(`alice:${ALICE_PASSWORD}`).toString('base64');
    const without = await t.http.inject({ method: 'POST', url: '/auth', headers: { authorization: `Basic ${basic}` }, remoteAddress: '10.0.0.1' });
    assert.equal(without.statusCode, 401);
    const withKey = await t.http.inject({ method: 'POST', url: '/auth', headers: { authorization: `Basic ${basic}`, 'x-api-key': officeKey }, remoteAddress: '10.0.0.1' });
    assert.equal(withKey.statusCode, 200, withKey.body);
  });
});

describe('HTTP server: no callers configured', () => {
  test('loopback only when allowLoopbackWithoutKey, else 401', async () => {
    const open = await startHttpTest();
    try {
      assert.equal((await open.http.inject({ ...json({ username: 'alice', password: ALICE_PASSWORD }), remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
      const far = await open.http.inject({ ...json({ username: 'alice', password: ALICE_PASSWORD }), remoteAddress: '192.0.2.9' });
      assert.equal(far.statusCode, 401);
      assert.equal(far.json().error, 'caller-not-allowed');
    } finally {
      await open.close();
    }
    const closed = await startHttpTest({ http: { allowLoopbackWithoutKey: false } });
    try {
      assert.equal((await closed.http.inject(json({ username: 'alice', password: ALICE_PASSWORD }))).statusCode, 401);
    } finally {
      await closed.close();
    }
  });
});
