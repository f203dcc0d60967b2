import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ALICE_PASSWORD, startHttpTest, visible, type HttpTest } from '../../../../test/support/http-testing.js';

describe('Nauthilus API', () => {
  let t: HttpTest;
  before(async () => {
    t = await startHttpTest({ nginx: { retryWaitSeconds: 5 } });
  });
  after(() => t.close());

  const post = (body: Record<string, unknown>, query = '') =>
    t.http.inject({ method: 'POST', url: `/api/v1/auth/json${query}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  test('success: 200, ok, account_field, attributes, Auth-Status OK and Auth-User', async () => {
    const res = await post({ username: 'alice@example.org', password: ALICE_PASSWORD, client_ip: '198.51.100.4', protocol: 'imap', ssl: 'on' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.ok, true);
    assert.equal(body.account_field, 'uid');
    assert.deepEqual(body.attributes.uid, ['alice']);
    assert.deepEqual(body.attributes.mail, ['alice@example.org']);
    assert.deepEqual(body.attributes.mailAlias, ['a@example.org']);
    assert.equal(res.headers['auth-status'], 'OK');
    assert.equal(res.headers['auth-user'], 'alice');
    const seen = t.guard.attempts.at(-1);
    assert.equal(seen?.clientIp, '198.51.100.4');
    assert.equal(seen?.relayIp, '127.0.0.1');
    assert.equal(seen?.tls, true);
    assert.equal(seen?.frontEnd, 'nauthilus');
    assert.ok(!visible(res).includes(ALICE_PASSWORD));
  });

  test('failure: 403, Auth-Status text, Auth-Wait, no secret echoed', async () => {
    const res = await post({ username: 'alice', password: 'not-the-password-1' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['auth-status'], 'Invalid login or password');
    assert.equal(res.headers['auth-wait'], '5');
    assert.equal(res.json().ok, false);
    assert.equal(res.json().error, 'invalid-credentials');
    assert.ok(!visible(res).includes('not-the-password-1'));
  });

  test('a guard delay on a refusal becomes Auth-Wait', async () => {
    t.guard.verdict = { action: 'delay', seconds: 7, rule: 'test' };
    try {
      const res = await post({ username: 'alice', password: 'not-the-password-2' });
      assert.equal(res.headers['auth-wait'], '7');
    } finally {
      t.guard.verdict = { action: 'allow' };
    }
  });

  test('a ban: 403 with the ban text and Retry-After', async () => {
    t.guard.verdict = { action: 'refuse', reason: 'banned', rule: 'ip-bruteforce', retryAfterSeconds: 600 };
    try {
      const res = await post({ username: 'alice', password: ALICE_PASSWORD });
      assert.equal(res.statusCode, 403);
      assert.equal(res.headers['auth-status'], 'Too many invalid attempts, try again later');
      assert.equal(res.headers['retry-after'], '600');
    } finally {
      t.guard.verdict = { action: 'allow' };
    }
  });

  test('temporary failure: 500 {"error"}', async () => {
    const res = await post({ username: 'down@example.org', password: 'whatever-123' });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error, 'temporary-failure');
    assert.equal(res.headers['auth-status'], 'Temporary server problem, try again later');
    assert.ok(!res.body.includes('upstream timed out'), 'internal detail stays in the log');
  });

  test('an empty password: 400', async () => {
    assert.equal((await post({ username: 'alice', password: '' })).statusCode, 400);
    assert.equal((await post({ username: 'alice' })).statusCode, 400);
  });

  test('protocol names map onto protocols: app password for imap works as imaps, not as submission', async () => {
    assert.equal((await post({ username: 'alice', password: t.imapOnly, protocol: 'IMAPS' })).statusCode, 200);
    const smtp = await post({ username: 'alice', password: t.imapOnly, protocol: 'submission' });
    assert.equal(smtp.statusCode, 403);
    assert.equal(t.guard.attempts.at(-1)?.protocol, 'smtp');
    await post({ username: 'alice', password: ALICE_PASSWORD, protocol: 'carddav' });
    assert.equal(t.guard.attempts.at(-1)?.protocol, 'dav');
  });

  test('mode=no-auth looks the account up without a password', async () => {
    const res = await post({ username: 'a@example.org' }, '?mode=no-auth');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().attributes.uid, ['alice']);
    assert.equal((await post({ username: 'nobody@example.org' }, '?mode=no-auth')).statusCode, 403);
  });

  test('header mode: credentials percent-escaped in headers, results in headers', async () => {
    const res = await t.http.inject({
      url: '/api/v1/auth/header',
      headers: { 'auth-user': 'alice', 'auth-pass': encodeURIComponent(ALICE_PASSWORD), 'auth-protocol': 'pop3', 'client-ip': '2001:db8::7' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['auth-status'], 'OK');
    assert.equal(res.headers['x-portcullis-mail'], 'alice@example.org');
    assert.equal(res.headers['x-portcullis-display-name'], 'Alice Example');
    assert.equal(t.guard.attempts.at(-1)?.clientIp, '2001:db8::7');
    const bad = await t.http.inject({ url: '/api/v1/auth/header', headers: { 'auth-user': 'alice', 'auth-pass': 'bad%zz' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'invalid-escape');
    const wrong = await t.http.inject({ method: 'POST', url: '/api/v1/auth/header', headers: { 'auth-user': 'alice', 'auth-pass': 'wrong-one-1' } });
    assert.equal(wrong.statusCode, 403);
    assert.ok(!visible(wrong).includes('wrong-one-1'));
    assert.equal((await t.http.inject({ url: '/api/v1/auth/header' })).json().error, 'missing-field');
  });

  test('the nginx mode answers 200 with headers only', async () => {
    const res = await t.http.inject({ url: '/api/v1/auth/nginx', headers: { 'auth-user': 'alice', 'auth-pass': 'nope-nope-1', 'auth-protocol': 'imap' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['auth-status'], 'Invalid login or password');
    assert.equal(res.body, '');
  });

  test('cache flush: a verified login is verified again afterwards', async () => {
    await post({ username: 'alice', password: ALICE_PASSWORD, protocol: 'jmap' });
    const hits = async () => (await post({ username: 'alice', password: ALICE_PASSWORD, protocol: 'jmap' })).statusCode;
    assert.equal(await hits(), 200);
    const flush = await t.http.inject({ method: 'DELETE', url: '/api/v1/cache/flush', headers: { 'content-type': 'application/json' }, payload: '{"user":"alice"}' });
    assert.equal(flush.statusCode, 200, flush.body);
    assert.equal(flush.json().ok, true);
    assert.equal((await t.http.inject({ method: 'DELETE', url: '/api/v1/cache/flush' })).statusCode, 200);
    const bad = await t.http.inject({ method: 'DELETE', url: '/api/v1/cache/flush', headers: { 'content-type': 'application/json' }, payload: '{"user":1}' });
    assert.equal(bad.statusCode, 400);
    assert.equal(await hits(), 200);
  });
});
