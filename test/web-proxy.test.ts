/**
 * The web section of the configuration, and the web login behind a reverse proxy: X-Forwarded-For
 * is believed only from a trusted proxy, so the guard counts and bans the real client; a forged
 * header from anyone else changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, validateConfig } from '../src/config/load.js';
import { webStateOf } from '../src/frontends/web/state.js';
import type { Attempt } from '../src/pipeline/attempt.js';
import { cookieNamed, json, loginToken } from './support/web-client.js';
import { startWebServer, USERS, type WebServer } from './support/web-harness.js';

const PROXY = '10.1.2.3';

describe('web configuration', () => {
  test('defaults are the reference, and every bad value is named', () => {
    const web = validateConfig({}).web;
    assert.deepEqual(web.session, { idleTimeoutSeconds: 1800, absoluteTimeoutSeconds: 43_200 });
    assert.equal(web.secureCookies, 'auto');
    assert.deepEqual(web.trustedProxies, []);
    assert.throws(
      () => validateConfig({ web: { session: { idleTimeoutSeconds: 7200, absoluteTimeoutSeconds: 3600 }, secureCookies: 'sometimes', trustedProxies: ['10.0.0.0/33'], loginHistory: { perUser: 0 } } }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const text = err.problems.join('\n');
        for (const key of ['web.session.absoluteTimeoutSeconds', 'web.secureCookies', 'web.trustedProxies.0', 'web.loginHistory.perUser']) assert.match(text, new RegExp(key.replace(/\./g, '\\.')), key);
        return true;
      },
    );
  });

  test('the section drives the web front end: timeouts, Secure cookies, history and dashboard', async () => {
    const server = await startWebServer({ web: { session: { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 7200 }, secureCookies: 'always', loginHistory: { perUser: 7, retentionDays: 3 }, dashboard: { bucketSeconds: 30, buckets: 120 } } });
    try {
      const { options } = webStateOf(server.app);
      assert.deepEqual([options.idleTimeoutSeconds, options.absoluteTimeoutSeconds, options.loginHistoryPerUser, options.loginHistoryDays, options.statsBucketSeconds, options.statsBuckets], [600, 7200, 7, 3, 30, 120]);
      const t = await loginToken(server.http);
      const res = await server.http.inject({ method: 'POST', url: '/api/web/v1/login', headers: { cookie: t.cookie, 'x-csrf-token': t.csrf }, payload: { login: 'alice', password: USERS.alice.password } });
      assert.match([res.headers['set-cookie']].flat().join('\n'), /__Host-portcullis_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=7200/);
      assert.equal(json(res)['idleTimeoutSeconds'], 600);
      const stats = await server.http.inject({ method: 'GET', url: '/api/admin/v1/stats?window=3600', headers: { cookie: await adminCookie(server, 'https') } });
      assert.equal(json(stats)['bucketSeconds'], 30);
    } finally {
      await server.close();
    }
  });
});

/** Logs in through inject as if from `peer`, with the given extra headers. */
async function webLoginFrom(server: WebServer, peer: string, login: string, password: string, headers: Record<string, string> = {}) {
  const t = await loginToken(server.http);
  return server.http.inject({ method: 'POST', url: '/api/web/v1/login', remoteAddress: peer, headers: { cookie: t.cookie, 'x-csrf-token': t.csrf, ...headers }, payload: { login, password } });
}

async function adminCookie(server: WebServer, proto: 'https' | 'http' = 'http'): Promise<string> {
  const res = await webLoginFrom(server, PROXY, USERS.root.login, USERS.root.password, { 'x-forwarded-for': '192.0.2.200', 'x-forwarded-proto': proto });
  assert.equal(res.statusCode, 200, res.body);
  return (cookieNamed(res, '__Host-portcullis_session') ?? cookieNamed(res, 'portcullis_session'))!;
}

describe('web login behind a reverse proxy', () => {
  let server: WebServer;
  const seen: Attempt[] = [];
  const banned = () => (webStateOf(server.app).guardAdmin?.listBans() ?? []).map((b) => JSON.stringify(b.target));

  before(async () => {
    server = await startWebServer({ web: { trustedProxies: ['10.0.0.0/8'] } });
    server.app.observers.add({ decided: (attempt) => void seen.push(attempt) });
  });
  after(() => server.close());

  test('through a trusted proxy the Attempt names the real client and the proxy as relay; sessions and audit too', async () => {
    seen.length = 0;
    const res = await webLoginFrom(server, PROXY, 'alice', USERS.alice.password, { 'x-forwarded-for': '6.6.6.6, 198.51.100.20', 'x-forwarded-proto': 'https' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(seen[0]?.clientIp, '198.51.100.20', 'the rightmost address the proxy did not add itself');
    assert.equal(seen[0]?.relayIp, PROXY);
    assert.equal(seen[0]?.tls, true, 'X-Forwarded-Proto from the trusted proxy');
    assert.ok(cookieNamed(res, '__Host-portcullis_session'), 'auto mode: Secure cookie when the proxy says https');
    const cookie = cookieNamed(res, '__Host-portcullis_session')!;
    const sessions = json(await server.http.inject({ method: 'GET', url: '/api/self/v1/sessions', remoteAddress: PROXY, headers: { cookie, 'x-forwarded-proto': 'https' } })) as unknown as Array<{ clientIp: string }>;
    assert.deepEqual(sessions.map((s) => s.clientIp), ['198.51.100.20']);
  });

  test('a forged X-Forwarded-For from an untrusted peer is ignored: the peer is counted, and banned', async () => {
    seen.length = 0;
    const forged = { 'x-forwarded-for': '192.0.2.99', 'x-forwarded-proto': 'https' };
    for (let i = 0; i < 10; i++) await webLoginFrom(server, '203.0.113.5', `ghost${i}`, 'wrong-password', forged);
    assert.deepEqual([...new Set(seen.map((a) => a.clientIp))], ['203.0.113.5']);
    assert.equal(seen.some((a) => a.tls), false, 'nor is its X-Forwarded-Proto believed');
    assert.ok(banned().includes(JSON.stringify({ kind: 'ip', ip: '203.0.113.5' })), banned().join());
    assert.equal(banned().some((t) => t.includes('192.0.2.99')), false, 'the forged address is not banned');
    const again = await webLoginFrom(server, '203.0.113.5', 'alice', USERS.alice.password, { 'x-forwarded-for': '192.0.2.1' });
    assert.equal(again.statusCode, 403, 'a different forged address does not get round the ban');
    assert.equal(json(again)['error'], 'banned');
  });

  test('a brute-force run through the proxy bans the client, never the proxy: its other users still sign in', async () => {
    for (let i = 0; i < 10; i++) await webLoginFrom(server, PROXY, `nobody${i}`, 'wrong-password', { 'x-forwarded-for': '198.51.100.66' });
    assert.ok(banned().includes(JSON.stringify({ kind: 'ip', ip: '198.51.100.66' })));
    assert.equal(banned().some((t) => t.includes('10.1.2.3')), false, 'the proxy is not banned');
    const attacker = await webLoginFrom(server, PROXY, 'alice', USERS.alice.password, { 'x-forwarded-for': '198.51.100.66' });
    assert.equal(attacker.statusCode, 403);
    const neighbour = await webLoginFrom(server, PROXY, 'alice', USERS.alice.password, { 'x-forwarded-for': '198.51.100.67' });
    assert.equal(neighbour.statusCode, 200, neighbour.body);
    const top = webStateOf(server.app).stats.snapshot(3600).topIps.map((r) => r.ip);
    assert.ok(top.includes('198.51.100.66') && !top.includes(PROXY), top.join());
  });
});
