// The guard's HTTP front ends in-process (Fastify inject) on a real App and a real detection guard:
// the Weakforced policy API, Nauthilus's brute-force list/flush, the admin API for the CLI, the
// Stalwart webhook intake and /metrics — and bans decided through one API holding on the others.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../src/frontends/http/server.js';
import { createTestApp, seedAlice, type TestApp } from './support/test-app.js';

const WF_KEY = 'weakforced-key-0123456789';
const NAUTH_KEY = 'nauthilus-key-0123456789';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const METRICS_KEY = 'metrics-key-0123456789abc';
const HOOK_KEY = 'stalwart-signature-key-0123456789';

let app: TestApp;
let http: FastifyInstance;

const basic = (password: string): string => `Basic ${Buffer.from(`wforce:${password}`).toString('base64')}`;
const wf = (command: string, body: unknown, via: 'query' | 'path' = 'query') =>
  http.inject({ method: 'POST', url: via === 'query' ? `/?command=${command}` : `/command/${command}`, headers: { 'x-api-key': WF_KEY, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const sign = (body: string, key = HOOK_KEY): string => createHmac('sha256', key).update(body).digest('base64');
const hook = (body: string, signature: string | null = sign(body)) =>
  http.inject({ method: 'POST', url: '/api/v1/webhooks/stalwart', headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-signature': signature } : {}) }, payload: body });
const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
  http.inject({ method, url, headers: { 'x-api-key': ADMIN_KEY, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
const ipCount = async (ip: string): Promise<number> => (await app.guardAdmin!.explain(ip)).rules.find((r) => r.rule === 'ip-bruteforce')?.count ?? -1;

before(async () => {
  app = await createTestApp({
    http: {
      callers: [
        { name: 'dovecot', apiKey: WF_KEY, endpoints: ['weakforced'] },
        { name: 'nauthilus-client', apiKey: NAUTH_KEY, endpoints: ['nauthilus'] },
        { name: 'ops', apiKey: ADMIN_KEY, endpoints: ['admin'] },
        { name: 'prometheus', apiKey: METRICS_KEY, endpoints: ['metrics'] },
      ],
    },
    metrics: { networks: ['192.0.2.250/32'] },
    guard: { stalwartWebhook: { signatureKey: HOOK_KEY, listeners: { 'imap-ldap': 'imap' } } },
  });
  await seedAlice(app, 'alice-password-1');
  http = await buildHttpServer(app);
});

after(async () => {
  await http.close();
  await app.close();
});

describe('Weakforced policy API', () => {
  test('Dovecot-style tuples: strings for booleans, nested keys, both URL forms', async () => {
    const tuple = { device_id: '', login: 'alice', protocol: 'imap', pwhash: '0208', remote: '198.51.100.1', session_id: 's1', tls: 'false', 'attrs/client': 'tb' };
    const res = await wf('allow', tuple);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 0, msg: '', r_attrs: {} });
    assert.equal((await wf('allow', { ...tuple, tls: true }, 'path')).json().status, 0);
    assert.equal((await wf('report', { ...tuple, success: 'true', policy_reject: 'false' })).json().status, 'ok');
    assert.equal((await wf('allow', { ...tuple, tls: 'maybe' })).statusCode, 400);
    assert.equal((await wf('allow', { ...tuple, remote: 'not-an-ip' })).json().status, 'failure');
  });

  test('brute force from one address is refused with -1, another address still allowed', async () => {
    const base = { login: 'alice', protocol: 'imap', remote: '198.51.100.7', tls: false };
    for (let i = 0; i < 10; i++) {
      // Mistypes on one account are slowed (ip-account-typos: delay N > 0), never refused.
      assert.ok((await wf('allow', base)).json().status >= 0, `attempt ${i} allowed before the ban`);
      await wf('report', { ...base, pwhash: (0x100 + i).toString(16), success: false, policy_reject: false });
    }
    const refused = (await wf('allow', base)).json();
    assert.equal(refused.status, -1);
    assert.equal(refused.msg, 'too many invalid attempts');
    // The account under attack is slowed for strangers, not refused; the address it logged in from before is not slowed.
    assert.ok((await wf('allow', { ...base, remote: '198.51.100.8' })).json().status > 0);
    assert.equal((await wf('allow', { ...base, remote: '198.51.100.1' })).json().status, 0);
    // The same wrong password repeated counts once; a policy refusal is never counted.
    const repeat = { ...base, remote: '198.51.100.9' };
    for (let i = 0; i < 12; i++) await wf('report', { ...repeat, pwhash: 'abc', success: false });
    await wf('report', { ...repeat, pwhash: 'abd', success: false, policy_reject: true });
    assert.equal(await ipCount('198.51.100.9'), 1);
  });

  test('a ban decided through the Weakforced API holds on the Nauthilus auth API', async () => {
    assert.equal((await wf('addBLEntry', { ip: '203.0.113.50', expire_secs: 600, reason: 'manual' })).json().status, 'ok');
    const res = await http.inject({
      method: 'POST', url: '/api/v1/auth/json', headers: { 'x-api-key': NAUTH_KEY, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'alice', password: 'alice-password-1', client_ip: '203.0.113.50', protocol: 'imap' }),
    });
    assert.equal(res.statusCode, 403, 'the right password from a banned address is refused');
    const clean = await http.inject({
      method: 'POST', url: '/api/v1/auth/json', headers: { 'x-api-key': NAUTH_KEY, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'alice', password: 'alice-password-1', client_ip: '203.0.113.51', protocol: 'imap' }),
    });
    assert.equal(clean.statusCode, 200);
  });

  test('black/white lists, stats, reset, ping — and refusals as wforce failures', async () => {
    assert.equal((await wf('addBLEntry', { netmask: '203.0.113.0/28', expire_secs: '60', reason: 'scan' })).json().status, 'ok');
    assert.equal((await wf('addBLEntry', { ip: '203.0.113.99', login: 'bob', expire_secs: 60, reason: 'x' })).json().status, 'ok');
    const loginOnly = await wf('addBLEntry', { login: 'alice', expire_secs: 60, reason: 'x' });
    assert.equal(loginOnly.statusCode, 400);
    assert.match(loginOnly.json().reason, /never per account/);
    assert.equal((await wf('addBLEntry', { ip: '203.0.113.1' })).statusCode, 400, 'expire_secs is mandatory');
    assert.equal((await wf('addBLEntry', { ip: '999.1.1.1', expire_secs: 1 })).statusCode, 400);
    const bl = (await http.inject({ method: 'GET', url: '/command/getBL', headers: { authorization: basic(WF_KEY) } })).json() as { bl_entries: Array<Record<string, string>> };
    assert.ok(bl.bl_entries.some((e) => e['ip'] === '203.0.113.0/28' && e['reason'] === 'scan' && /^\d{4}-[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d$/.test(e['expiration'] ?? '')));
    assert.ok(bl.bl_entries.some((e) => e['iplogin'] === '203.0.113.99:bob'));
    assert.equal((await wf('allow', { login: 'x', remote: '203.0.113.5' })).json().status, -1, 'netmask ban applies');
    assert.equal((await wf('delBLEntry', { netmask: '203.0.113.0/28' })).json().status, 'ok');
    assert.equal((await wf('allow', { login: 'x', remote: '203.0.113.5' })).json().status, 0);

    assert.equal((await wf('addWLEntry', { ip: '198.51.100.7', expire_secs: 60, reason: 'office' })).json().status, 'ok');
    assert.equal((await wf('allow', { login: 'alice', remote: '198.51.100.7' })).json().status, 0, 'allow-listed despite its ban');
    assert.equal((await wf('getWL', {})).json().wl_entries[0].ip, '198.51.100.7');
    assert.equal((await wf('delWLEntry', { ip: '198.51.100.7' })).json().status, 'ok');

    const stats = (await wf('getDBStats', { ip: '198.51.100.7' })).json();
    assert.equal(stats.ip, '198.51.100.7');
    assert.equal(stats.blacklisted, true);
    assert.equal(stats.stats.ip['ip-bruteforce'], 10);
    assert.equal((await wf('reset', { ip: '198.51.100.7', login: 'alice' })).json().status, 'ok');
    assert.equal((await wf('allow', { login: 'alice', remote: '198.51.100.7' })).json().status, 0, 'reset lifts the ban');
    assert.equal(await ipCount('198.51.100.7'), 0, 'and forgets the counters');

    assert.deepEqual((await http.inject({ method: 'GET', url: '/command/ping', headers: { 'x-api-key': WF_KEY } })).json(), { status: 'ok' });
    assert.equal((await wf('nosuch', {})).statusCode, 404);
  });

  test('callers: no key 401, a key of another group 403, Basic password accepted', async () => {
    const body = JSON.stringify({ login: 'a', remote: '192.0.2.1' });
    const noKey = await http.inject({ method: 'POST', url: '/?command=allow', headers: { 'content-type': 'application/json' }, payload: body });
    assert.equal(noKey.statusCode, 401);
    const other = await http.inject({ method: 'POST', url: '/?command=allow', headers: { 'content-type': 'application/json', 'x-api-key': NAUTH_KEY }, payload: body });
    assert.equal(other.statusCode, 403);
    const viaBasic = await http.inject({ method: 'POST', url: '/?command=allow', headers: { 'content-type': 'application/json', authorization: basic(WF_KEY) }, payload: body });
    assert.equal(viaBasic.json().status, 0);
  });
});

describe('Nauthilus brute-force list and flush', () => {
  test('list shows bans in Nauthilus shape; flush lifts them', async () => {
    await app.guardAdmin!.addBan({ ip: '192.0.2.77', ttlSeconds: 900, rule: 'ip-bruteforce' });
    const list = await http.inject({ method: 'GET', url: '/api/v1/bruteforce/list', headers: { 'x-api-key': NAUTH_KEY } });
    const body = list.json();
    assert.equal(body.object, 'bruteforce');
    assert.equal(body.operation, 'list');
    const entry = body.result[0].entries.find((e: { network: string }) => e.network === '192.0.2.77/32');
    assert.equal(entry.bucket, 'ip-bruteforce');
    assert.equal(entry.ban_time, 900 * 1e9);
    assert.ok(entry.ttl > 0 && entry.ttl <= 900 * 1e9);
    assert.deepEqual(body.result[1].accounts['bob'], ['203.0.113.99']);
    const filtered = await http.inject({ method: 'POST', url: '/api/v1/bruteforce/list', headers: { 'x-api-key': NAUTH_KEY, 'content-type': 'application/json' }, payload: '{"ip_addresses":["192.0.2.77"]}' });
    assert.equal(filtered.json().result[0].entries.length, 1);

    const flush = (payload: unknown) => http.inject({ method: 'DELETE', url: '/api/v1/bruteforce/flush', headers: { 'x-api-key': NAUTH_KEY, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    assert.equal((await flush({ ip_address: 'nope', rule_name: '*' })).statusCode, 400);
    assert.equal((await flush({ ip_address: '192.0.2.77', rule_name: 'other-rule' })).json().result.status, 'not flushed');
    const done = (await flush({ ip_address: '192.0.2.77', rule_name: 'ip-bruteforce' })).json();
    assert.deepEqual(done.result, { ip_address: '192.0.2.77', rule_name: 'ip-bruteforce', removed_keys: ['ban:ip:192.0.2.77'], status: '1 keys flushed' });
    assert.equal(app.guardAdmin!.listBans().some((e) => e.id === 'ban:ip:192.0.2.77'), false);
  });
});

describe('guard admin API (for the CLI)', () => {
  test('add, list, explain, remove — audited; bad targets are 400s', async () => {
    const added = await admin('POST', '/api/v1/guard/bans', { cidr: '198.18.0.0/24', ttlSeconds: 300, reason: 'test' });
    assert.equal(added.statusCode, 201);
    assert.equal(added.json().id, 'ban:cidr:198.18.0.0/24');
    assert.ok((await admin('GET', '/api/v1/guard/bans')).json().some((e: { id: string }) => e.id === 'ban:cidr:198.18.0.0/24'));
    const explained = (await admin('GET', '/api/v1/guard/explain?query=198.18.0.9')).json();
    assert.equal(explained.bans[0].id, 'ban:cidr:198.18.0.0/24');
    assert.ok(explained.rules.some((r: { rule: string }) => r.rule === 'ip-bruteforce'));
    assert.equal((await admin('POST', '/api/v1/guard/bans', { login: 'alice', ttlSeconds: 5 })).statusCode, 400);
    assert.equal((await admin('POST', '/api/v1/guard/bans', { ip: 'x', ttlSeconds: 5 })).statusCode, 400);
    assert.equal((await admin('POST', '/api/v1/guard/bans', { ip: '192.0.2.1', extra: 1 })).statusCode, 400);
    const removed = (await admin('DELETE', '/api/v1/guard/bans', { cidr: '198.18.0.0/24' })).json();
    assert.equal(removed.removed.length, 1);
    const audit = await app.store.listAudit({ limit: 10 });
    assert.ok(audit.some((e) => e.action === 'guard.unban' && e.actor === 'api:ops'));
    assert.equal((await http.inject({ method: 'GET', url: '/api/v1/guard/bans', headers: { 'x-api-key': WF_KEY } })).statusCode, 403);
  });
});

describe('Stalwart webhook intake', () => {
  const batch = (events: unknown[]): string => JSON.stringify({ events });
  const failed = (id: string, ip: string, extra: Record<string, unknown> = {}) => ({ id, createdAt: '2025-01-01T00:00:00Z', type: 'auth.failed', data: { remoteIp: ip, listenerId: 'imap-ldap', localPort: 993, ...extra } });

  test('unsigned or wrongly signed: 401 and nothing counted', async () => {
    const body = batch([failed('u1', '192.0.2.101')]);
    assert.equal((await hook(body, null)).statusCode, 401);
    assert.equal((await hook(body, sign(body, 'another-key-0123456789abcdef'))).statusCode, 401);
    assert.equal((await hook(body, sign(body + ' '))).statusCode, 401);
    assert.equal((await hook(body, 'not base64!')).statusCode, 401);
    assert.equal(await ipCount('192.0.2.101'), 0);
  });

  test('failures count the address, a redelivered batch counts once, u64 span ids stay exact', async () => {
    const raw = `{"events":[${JSON.stringify(failed('e1', '192.0.2.102')).slice(0, -2)},"spanId":18446744073709551615}},${JSON.stringify(failed('e2', '192.0.2.102'))}]}`;
    const first = await hook(raw);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().counted, 2);
    const again = await hook(raw);
    assert.equal(again.json().duplicates, 2);
    assert.equal(await ipCount('192.0.2.102'), 2);
  });

  test('unknown types and events without an address are ignored; malformed batches refused', async () => {
    const res = await hook(batch([{ id: 'x1', type: 'message.ingested', data: {} }, { id: 'x2', type: 'auth.failed', data: {} }]));
    assert.equal(res.json().ignored, 2);
    assert.equal((await hook('{"events": 5}')).statusCode, 400);
    assert.equal((await hook('{"events": [{"type": "auth.failed"}]}')).statusCode, 400);
    assert.equal((await hook('not json')).statusCode, 400);
  });

  test('ten failures ban the address; Stalwart bans are mirrored', async () => {
    const events = Array.from({ length: 10 }, (_, i) => failed(`b${i}`, '192.0.2.103'));
    await hook(batch(events));
    assert.ok(app.guardAdmin!.listBans().some((e) => e.id === 'ban:ip:192.0.2.103'));
    await hook(batch([{ id: 's1', type: 'security.scan-ban', data: { remoteIp: '192.0.2.104' } }]));
    const mirrored = app.guardAdmin!.listBans().find((e) => e.id === 'ban:ip:192.0.2.104');
    assert.equal(mirrored?.rule, 'stalwart-scan-ban');
  });
});

describe('/metrics', () => {
  test('from metrics.networks without a key, elsewhere only with a metrics key', async () => {
    const fromNet = await http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.250' });
    assert.equal(fromNet.statusCode, 200);
    assert.match(fromNet.body, /portcullis_policy_requests_total\{command="allow",answer="reject"\}/);
    assert.match(fromNet.body, /portcullis_webhook_events_total/);
    assert.equal((await http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.251' })).statusCode, 401);
    assert.equal((await http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.251', headers: { 'x-api-key': METRICS_KEY } })).statusCode, 200);
    assert.equal((await http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.251', headers: { 'x-api-key': ADMIN_KEY } })).statusCode, 403);
  });
});
