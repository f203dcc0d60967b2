import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ALICE_PASSWORD, startHttpTest, visible, type HttpTest } from '../../../../test/support/http-testing.js';
import { NGINX_HEADER_LIMIT } from './nginx-handler.js';

/** The response header block as nginx would read it: status line, headers, blank line. */
function headerBlockBytes(res: LightMyRequestResponse): number {
  const lines = [`HTTP/1.0 200 OK`, ...Object.entries(res.headers).map(([k, v]) => `${k}: ${String(v)}`), 'Date: Thu, 01 Jan 2026 00:00:00 GMT', 'Connection: close'];
  return Buffer.byteLength(lines.join('\r\n') + '\r\n\r\n');
}

describe('nginx auth_http', () => {
  let t: HttpTest;
  before(async () => {
    t = await startHttpTest({ nginx: { retryWaitSeconds: 3 } });
  });
  after(() => t.close());

  const ask = (headers: Record<string, string>) =>
    t.http.inject({ url: '/auth/nginx', headers: { 'auth-method': 'plain', 'auth-protocol': 'imap', 'auth-login-attempt': '1', 'client-ip': '203.0.113.9', ...headers } });

  test('success: Auth-Status OK, Auth-Server an IP literal, Auth-Port; percent-escaped password', async () => {
    const res = await ask({ 'auth-user': 'alice', 'auth-pass': encodeURIComponent(ALICE_PASSWORD) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['auth-status'], 'OK');
    assert.equal(res.headers['auth-server'], '192.0.2.10');
    assert.equal(res.headers['auth-port'], '143');
    assert.equal(res.body, '');
    assert.ok(headerBlockBytes(res) < NGINX_HEADER_LIMIT);
    const seen = t.guard.attempts.at(-1);
    assert.equal(seen?.clientIp, '203.0.113.9');
    assert.equal(seen?.frontEnd, 'nginx');
    assert.ok(Object.keys(res.headers).every((h) => !h.includes('_')));
    assert.ok(!visible(res).includes(ALICE_PASSWORD));
  });

  test('an app password for imap works, and IPv6 upstreams are served for smtp', async () => {
    assert.equal((await ask({ 'auth-user': 'alice%40example.org', 'auth-pass': t.imapOnly })).headers['auth-status'], 'OK');
    const smtp = await ask({ 'auth-protocol': 'smtp', 'auth-user': 'alice', 'auth-pass': encodeURIComponent(ALICE_PASSWORD) });
    assert.equal(smtp.headers['auth-status'], 'OK');
    assert.equal(smtp.headers['auth-server'], '2001:db8::25');
  });

  test('failure: the catalogue text, Auth-Wait, and an SMTP error code for smtp', async () => {
    const imap = await ask({ 'auth-user': 'alice', 'auth-pass': 'wrong-password-9' });
    assert.equal(imap.statusCode, 200);
    assert.equal(imap.headers['auth-status'], 'Invalid login or password');
    assert.equal(imap.headers['auth-wait'], '3');
    assert.equal(imap.headers['auth-error-code'], undefined);
    const smtp = await ask({ 'auth-protocol': 'smtp', 'auth-user': 'alice', 'auth-pass': t.imapOnly });
    assert.equal(smtp.headers['auth-status'], 'Invalid login or password');
    assert.equal(smtp.headers['auth-error-code'], '535 5.7.8');
    assert.ok(headerBlockBytes(smtp) < NGINX_HEADER_LIMIT);
    assert.ok(!visible(smtp).includes(t.imapOnly));
  });

  test('non-ASCII bytes nginx passes raw (read as latin1) are decoded as UTF-8', async () => {
    const raw = Buffer.from(encodeURIComponent(ALICE_PASSWORD).replace(/%C3%B6/g, 'ö'), 'utf8').toString('latin1');
    assert.ok(raw.includes('Ã'));
    assert.equal((await ask({ 'auth-user': 'alice', 'auth-pass': raw })).headers['auth-status'], 'OK');
  });

  test('malformed percent-escapes are refused, not a crash', async () => {
    for (const [user, pass] of [['alice', '%E0%A4%A'], ['al%ZZice', 'x'], ['alice', '%ff%fe']]) {
      const res = await ask({ 'auth-user': user ?? '', 'auth-pass': pass ?? '' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['auth-status'], 'Invalid login or password');
    }
  });

  test('digest methods and unknown protocols are refused with a clear text', async () => {
    const apop = await ask({ 'auth-method': 'apop', 'auth-user': 'alice', 'auth-pass': 'abc', 'auth-protocol': 'pop3' });
    assert.equal(apop.headers['auth-status'], 'Authentication method not supported');
    const weird = await ask({ 'auth-protocol': 'gopher', 'auth-user': 'alice', 'auth-pass': 'x' });
    assert.equal(weird.headers['auth-status'], 'Temporary server problem, try again later');
    const noIp = await ask({ 'client-ip': 'not-an-ip', 'auth-user': 'alice', 'auth-pass': 'x' });
    assert.notEqual(noIp.headers['auth-status'], 'OK');
  });

  test('a protocol without an upstream is a temporary failure, never OK', async () => {
    const res = await ask({ 'auth-protocol': 'pop3', 'auth-user': 'alice', 'auth-pass': encodeURIComponent(ALICE_PASSWORD) });
    assert.equal(res.headers['auth-status'], 'Temporary server problem, try again later');
  });

  test('a temporary failure of the backend: temporary text and 454 for smtp', async () => {
    const res = await ask({ 'auth-protocol': 'smtp', 'auth-user': 'down%40example.org', 'auth-pass': 'whatever-1' });
    assert.equal(res.headers['auth-status'], 'Temporary server problem, try again later');
    assert.equal(res.headers['auth-error-code'], '454 4.7.0');
  });

  test('a guard delay on an accepted login holds the answer', async () => {
    t.guard.verdict = { action: 'delay', seconds: 1, rule: 'account-under-attack' };
    try {
      const started = Date.now();
      const res = await ask({ 'auth-user': 'alice', 'auth-pass': encodeURIComponent(ALICE_PASSWORD) });
      assert.equal(res.headers['auth-status'], 'OK');
      assert.ok(Date.now() - started >= 950, 'held about a second');
    } finally {
      t.guard.verdict = { action: 'allow' };
    }
  });

  test('an upstream given as a host name is a start-up error', async () => {
    await assert.rejects(startHttpTest({ nginx: { upstreams: { imap: { host: 'mail.example.org', port: 143 } } } }), /must be an IP address/);
  });
});
