/**
 * Bad input on the web APIs: forged or missing CSRF tokens, expired and revoked sessions, oversized
 * and malformed fields. Each is refused with a clear message and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cookieNamed, json, loginToken, webLogin, type WebSessionClient } from './support/web-client.js';
import { startWebServer, USERS, type WebServer } from './support/web-harness.js';

describe('web API security', () => {
  let server: WebServer;
  let now = Date.UTC(2030, 0, 1);
  const appPasswords = async () => (await server.app.identity.listAppPasswords('alice')).length;

  before(async () => {
    server = await startWebServer({}, { now: () => now, idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 });
  });
  after(() => server.close());

  test('a state change without the CSRF token, or with a forged one, is refused and changes nothing', async () => {
    const alice = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const count = await appPasswords();
    for (const csrf of [null, 'forged-token', alice.csrf.slice(0, -1) + (alice.csrf.endsWith('A') ? 'B' : 'A')]) {
      const res = await alice.call('POST', '/api/self/v1/app-passwords', { name: 'CSRF', scopes: ['imap'] }, { csrf });
      assert.equal(res.statusCode, 403);
      assert.equal(json(res)['error'], 'csrf-failed');
      assert.match(String(json(res)['message']), /reload the page/);
    }
    const other = await webLogin(server.http, USERS.root.login, USERS.root.password);
    const crossed = await alice.call('POST', '/api/self/v1/app-passwords', { name: 'CSRF', scopes: ['imap'] }, { csrf: other.csrf });
    assert.equal(crossed.statusCode, 403, "another session's token is not this session's");
    const crossSite = await alice.call('POST', '/api/self/v1/app-passwords', { name: 'CSRF', scopes: ['imap'] }, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(await appPasswords(), count);
    const revoke = await alice.call('DELETE', '/api/self/v1/app-passwords/whatever', undefined, { csrf: null });
    assert.equal(revoke.statusCode, 403);
  });

  test('forms carry the token as _csrf: a logout form without it does not log out', async () => {
    const alice = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const forged = await server.http.inject({ method: 'POST', url: '/api/web/v1/logout', headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '_csrf=nope&next=self' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await alice.call('GET', '/api/self/v1/me')).statusCode, 200, 'still logged in');
    const real = await server.http.inject({ method: 'POST', url: '/api/web/v1/logout', headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${alice.csrf}&next=self` });
    assert.equal(real.statusCode, 303);
    assert.equal(real.headers.location, '/self/');
    assert.equal((await alice.call('GET', '/api/self/v1/me')).statusCode, 401, 'the session is gone from the store');
  });

  test('the login form needs its own token', async () => {
    const missing = await server.http.inject({ method: 'POST', url: '/api/web/v1/login', payload: { login: 'alice', password: USERS.alice.password } });
    assert.equal(missing.statusCode, 403);
    const token = await loginToken(server.http);
    const wrongCookie = await server.http.inject({ method: 'POST', url: '/api/web/v1/login', headers: { cookie: 'portcullis_login=other', 'x-csrf-token': token.csrf }, payload: { login: 'alice', password: USERS.alice.password } });
    assert.equal(wrongCookie.statusCode, 403);
    assert.equal(cookieNamed(wrongCookie, 'portcullis_session'), undefined);
  });

  test('session cookies are HttpOnly and SameSite=Strict, Secure when configured, and every answer has the strict CSP', async () => {
    const token = await loginToken(server.http);
    const res = await server.http.inject({ method: 'POST', url: '/api/web/v1/login', headers: { cookie: token.cookie, 'x-csrf-token': token.csrf }, payload: { login: 'alice', password: USERS.alice.password } });
    const cookie = [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('portcullis_session=')) ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.equal(res.body.includes(cookie.split(';')[0]!.split('=')[1]!), false, 'the session id is never in a body');
    const page = await server.http.inject({ method: 'GET', url: '/self/' });
    const csp = String(page.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) assert.ok(csp.includes(d), d);
    assert.equal(/<script>|style=/.test(page.body), false, 'no inline script or style');

    const secure = await startWebServer({}, { secureCookies: 'always' });
    try {
      const t = await loginToken(secure.http);
      const r = await secure.http.inject({ method: 'POST', url: '/api/web/v1/login', headers: { cookie: t.cookie, 'x-csrf-token': t.csrf }, payload: { login: 'alice', password: USERS.alice.password } });
      assert.match([r.headers['set-cookie']].flat().map(String).join('\n'), /__Host-portcullis_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure/);
    } finally {
      await secure.close();
    }
  });

  test('sessions expire when idle and at their absolute end', async () => {
    const alice = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    now += 599_000;
    assert.equal((await alice.call('GET', '/api/self/v1/me')).statusCode, 200);
    now += 601_000;
    const idle = await alice.call('GET', '/api/self/v1/me');
    assert.equal(idle.statusCode, 401);
    assert.equal(json(idle)['error'], 'session-expired');

    const busy = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    for (let i = 0; i < 7; i++) {
      now += 500_000;
      const res = await busy.call('GET', '/api/self/v1/me');
      assert.equal(res.statusCode, i < 7 && (i + 1) * 500_000 < 3_600_000 ? 200 : 401, `after ${(i + 1) * 500} s`);
    }
    now += 500_000;
    assert.equal((await busy.call('GET', '/api/self/v1/me')).statusCode, 401, 'absolute end reached however busy');
  });

  test('a password change ends every other session; revoking an app password does not', async () => {
    const a = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const b = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const ap = json(await a.call('POST', '/api/self/v1/app-passwords', { name: 'Tablet', scopes: ['imap'] }));
    const id = (ap['appPassword'] as { id: string }).id;
    assert.equal((await a.call('DELETE', `/api/self/v1/app-passwords/${id}`)).statusCode, 200);
    assert.equal((await b.call('GET', '/api/self/v1/me')).statusCode, 200, 'an app password revoked is not a password change');

    const wrong = await a.call('POST', '/api/self/v1/password', { currentPassword: 'not-it-at-all', newPassword: 'alice-password-9' });
    assert.equal(wrong.statusCode, 403);
    const weak = await a.call('POST', '/api/self/v1/password', { currentPassword: USERS.alice.password, newPassword: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.match(String(json(weak)['message']), /at least 8 characters/);
    const changed = await a.call('POST', '/api/self/v1/password', { currentPassword: USERS.alice.password, newPassword: 'alice-password-9' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await b.call('GET', '/api/self/v1/me')).statusCode, 401, 'the other session ended');
    assert.equal((await a.call('GET', '/api/self/v1/me')).statusCode, 401, 'the old cookie of this browser ended too');
    const fresh = cookieNamed(changed, 'portcullis_session');
    assert.ok(fresh);
    const again = await server.http.inject({ method: 'GET', url: '/api/self/v1/me', headers: { cookie: fresh } });
    assert.equal(again.statusCode, 200, 'this browser got a fresh session');
    // An admin reset also ends the user's sessions.
    const root = await webLogin(server.http, USERS.root.login, USERS.root.password);
    assert.equal((await root.call('POST', '/api/admin/v1/users/alice/password', { password: USERS.alice.password })).statusCode, 200);
    assert.equal((await server.http.inject({ method: 'GET', url: '/api/self/v1/me', headers: { cookie: fresh } })).statusCode, 401);
  });

  test('oversized, malformed and unknown fields are refused with a message naming the field', async () => {
    const root = await webLogin(server.http, USERS.root.login, USERS.root.password);
    const alice = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const before = await server.app.identity.requireUser('alice');
    const cases: Array<[WebSessionClient, 'POST' | 'PATCH', string, unknown, RegExp]> = [
      [root, 'PATCH', '/api/admin/v1/users/alice', { displayName: 'x'.repeat(300) }, /displayName must NOT have more than 256 characters/],
      [root, 'PATCH', '/api/admin/v1/users/alice', { displayName: 'bad\u0007bell' }, /displayName .* printable/],
      [root, 'PATCH', '/api/admin/v1/users/alice', { roles: 'admin' }, /roles/],
      [root, 'POST', '/api/admin/v1/guard/bans', { ip: 'not-an-address', ttlSeconds: 60 }, /not an IP address/],
      [root, 'POST', '/api/admin/v1/guard/bans', { login: 'alice', ttlSeconds: 60 }, /never per account/],
      [alice, 'POST', '/api/self/v1/app-passwords', { name: '', scopes: ['imap'] }, /name must NOT have fewer than 1 characters/],
      [alice, 'POST', '/api/self/v1/app-passwords', { name: 'Telnet', scopes: ['telnet'] }, /scopes.* must be equal to one of the allowed values/],
      [alice, 'POST', '/api/self/v1/app-passwords', { name: 'x'.repeat(129), scopes: ['imap'] }, /name must NOT have more than 128 characters/],
      [alice, 'POST', '/api/self/v1/app-passwords', { name: 'Web', scopes: ['web'] }, /allowed values/],
    ];
    for (const [client, method, url, body, message] of cases) {
      const res = await client.call(method, url, body);
      assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(body).slice(0, 60)}: ${res.body}`);
      assert.match(String(json(res)['message']), message);
    }
    const malformed = await server.http.inject({ method: 'PATCH', url: '/api/admin/v1/users/alice', headers: { cookie: root.cookie, 'x-csrf-token': root.csrf, 'content-type': 'application/json' }, payload: '{"displayName": "Alice' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(json(malformed)['error'], 'invalid-json');
    const huge = await root.call('PATCH', '/api/admin/v1/users/alice', { displayName: 'y'.repeat(200_000) });
    assert.equal(huge.statusCode, 413);
    const after = await server.app.identity.requireUser('alice');
    assert.equal(after.displayName, before.displayName, 'nothing changed');
    assert.deepEqual(after.roles, before.roles);
    assert.equal((await server.app.identity.listAppPasswords('alice')).some((a) => a.name === 'Telnet' || a.name === 'Web'), false);
  });

  test('script in a display name is stored as text and served as JSON, never as markup', async () => {
    const root = await webLogin(server.http, USERS.root.login, USERS.root.password);
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const res = await root.call('PATCH', '/api/admin/v1/users/alice', { displayName: evil });
    assert.equal(res.statusCode, 200);
    const read = await root.call('GET', '/api/admin/v1/users/alice');
    assert.match(String(read.headers['content-type']), /^application\/json/);
    assert.equal(read.headers['x-content-type-options'], 'nosniff');
    assert.equal(json(read)['displayName'], evil);
    const page = await server.http.inject({ method: 'GET', url: '/admin/' });
    assert.equal(page.body.includes('onerror'), false, 'pages are static: no data is ever templated into them');
    await server.app.identity.updateUser('alice', { displayName: 'Alice Example' }, { actor: 'test', source: null });
  });
});
