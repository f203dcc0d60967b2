// Real Portcullis server processes: two nodes sharing counters and bans through Redis, the CLI
// talking to a running server, and a ban decided through one API holding on the LDAP front end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeMessage, encodeMessage, LdapFramer } from '../src/frontends/ldap/protocol/index.js';
import { ALICE, eventually, post, startNode, type Node } from './guard-node.js';
import { freePort } from './peers/common.js';
import { TEST_REDIS_URL, redisSkipReason } from './support/redis.js';

const REDIS_URL = TEST_REDIS_URL;
const WF_KEY = 'weakforced-key-0123456789';
const NAUTH_KEY = 'nauthilus-key-0123456789';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const HOOK_KEY = 'stalwart-signature-key-0123456789';
const CALLERS = [
  { name: 'dovecot', apiKey: WF_KEY, endpoints: ['weakforced'] },
  { name: 'gateway', apiKey: NAUTH_KEY, endpoints: ['nauthilus'] },
  { name: 'ops', apiKey: ADMIN_KEY, endpoints: ['admin'] },
];

const redisSkip = await redisSkipReason(REDIS_URL);

/** A Nauthilus JSON login; answers the HTTP status (200 ok, 403 refused). */
async function nauthilusLogin(node: Node, password: string, clientIp: string): Promise<number> {
  return (await post(`${node.httpUrl}/api/v1/auth/json`, NAUTH_KEY, { username: ALICE.login, password, client_ip: clientIp, protocol: 'imap' })).status;
}

describe('two Portcullis processes on one Redis', { skip: redisSkip }, () => {
  let a: Node;
  let b: Node;
  before(async () => {
    const shared = { redis: { url: REDIS_URL, keyPrefix: `t${randomUUID()}:` }, http: { callers: CALLERS }, guard: { stalwartWebhook: { signatureKey: HOOK_KEY } } };
    [a, b] = await Promise.all([startNode(shared), startNode(shared)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  // Through pub/sub: well within banResyncSeconds (30 s), with room for a loaded CI machine.
  test('a ban decided on one node refuses on the other within seconds, not at the next re-read', async () => {
    assert.equal(await nauthilusLogin(b, ALICE.password, '203.0.113.20'), 200);
    const added = await post(`${a.httpUrl}/?command=addBLEntry`, WF_KEY, { ip: '203.0.113.20', expire_secs: 600, reason: 'test' });
    assert.equal(added.body['status'], 'ok');
    assert.ok(await eventually(async () => (await nauthilusLogin(b, ALICE.password, '203.0.113.20')) === 403, 5000), 'node b refuses within 5 s');
    assert.equal(await nauthilusLogin(b, ALICE.password, '203.0.113.21'), 200, 'other addresses are unaffected');
  });

  test('failures counted on one node push the other over the threshold', async () => {
    const ip = '203.0.113.30';
    for (let i = 0; i < 5; i++) assert.equal(await nauthilusLogin(a, `wrong-a-${i}`, ip), 403);
    for (let i = 0; i < 4; i++) assert.equal(await nauthilusLogin(b, `wrong-b-${i}`, ip), 403);
    const explained = await fetch(`${a.httpUrl}/api/v1/guard/explain?query=${ip}`, { headers: { 'x-api-key': ADMIN_KEY } }).then((r) => r.json() as Promise<{ rules: Array<{ rule: string; count: number }> }>);
    assert.equal(explained.rules.find((r) => r.rule === 'ip-bruteforce')?.count, 9, 'node a sees both nodes\' failures');
    await nauthilusLogin(b, 'wrong-b-last', ip); // the 10th: node b bans
    assert.ok(await eventually(async () => (await post(`${a.httpUrl}/?command=allow`, WF_KEY, { login: 'alice', remote: ip })).body['status'] === -1, 1000), 'node a refuses too');
    assert.equal(await nauthilusLogin(a, ALICE.password, ip), 403, 'even with the right password');
  });
});

describe('two Portcullis processes on one Redis: webhook batches', { skip: redisSkip }, () => {
  let a: Node;
  let b: Node;
  before(async () => {
    const shared = { redis: { url: REDIS_URL, keyPrefix: `t${randomUUID()}:` }, guard: { stalwartWebhook: { signatureKey: HOOK_KEY } }, http: { callers: CALLERS } };
    [a, b] = await Promise.all([startNode(shared), startNode(shared)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test('a batch redelivered to another node is counted once', async () => {
    const body = JSON.stringify({ events: [1, 2, 3].map((i) => ({ id: `ev-${i}`, type: 'auth.failed', data: { remoteIp: '203.0.113.60', spanId: 18446744073709551615n.toString() } })) });
    const send = (node: Node) => fetch(`${node.httpUrl}/api/v1/webhooks/stalwart`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', HOOK_KEY).update(body).digest('base64') }, body }).then((r) => r.json() as Promise<Record<string, number>>);
    assert.equal((await send(a))['counted'], 3);
    assert.equal((await send(b))['duplicates'], 3);
    const explained = await fetch(`${b.httpUrl}/api/v1/guard/explain?query=203.0.113.60`, { headers: { 'x-api-key': ADMIN_KEY } }).then((r) => r.json() as Promise<{ rules: Array<{ rule: string; count: number }> }>);
    assert.equal(explained.rules.find((r) => r.rule === 'ip-bruteforce')?.count, 3);
  });
});

describe('the CLI against a running server', () => {
  let node: Node;
  before(async () => {
    node = await startNode({ http: { callers: CALLERS } });
  });
  after(async () => {
    await node?.stop();
  });

  const TSX = import.meta.resolve('tsx');
  const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, '-c', node.configFile, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORTCULLIS_LOG__LEVEL: 'warn' } });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  test('ban add/list/remove, allow, explain — the key comes from the config', async () => {
    const added = cli(['ban', 'add', '203.0.113.40', '--ttl', '10m', '--reason', 'from the cli']);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /ban added: 203\.0\.113\.40/);
    assert.equal(await nauthilusLogin(node, ALICE.password, '203.0.113.40'), 403, 'the server refuses at once');
    const list = JSON.parse(cli(['--json', 'ban', 'list']).stdout) as Array<{ id: string; reason: string }>;
    assert.ok(list.some((e) => e.id === 'ban:ip:203.0.113.40' && e.reason === 'from the cli'));
    const explained = cli(['explain', '203.0.113.40']);
    assert.equal(explained.status, 0, explained.stderr);
    assert.match(explained.stdout, /ip-bruteforce\s+ip\s+failures\s+3600s\s+0\/10/);
    assert.match(explained.stdout, /verdict: refused \(banned by admin\)/);
    const explainedJson = JSON.parse(cli(['--json', 'explain', 'alice']).stdout) as { login: string; rules: unknown[] };
    assert.equal(explainedJson.login, 'alice');
    assert.equal(cli(['ban', 'remove', '203.0.113.40']).status, 0);
    assert.equal(await nauthilusLogin(node, ALICE.password, '203.0.113.40'), 200);
    const refused = cli(['ban', 'add', 'alice']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /never per account/);
    assert.equal(cli(['allow', 'add', '198.51.100.0/24', '--reason', 'office']).status, 0);
    assert.match(cli(['allow', 'list']).stdout, /198\.51\.100\.0\/24\s+admin\s+never\s+office/);
    assert.equal(cli(['allow', 'remove', '198.51.100.0/24']).status, 0);
  });

  test('a clear error when the server is not running', async () => {
    const port = await freePort();
    const r = cli(['ban', 'list', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot reach the Portcullis server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is `portcullis serve` running\?/);
  });
});

/** A simple bind over a socket bound to `localAddress`, so the server sees that peer; answers the result code. */
function ldapBind(port: number, localAddress: string, dn: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const framer = new LdapFramer();
    socket.setTimeout(10_000, () => socket.destroy(new Error('ldap bind timed out')));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      const pdu = framer.next();
      if (!pdu) return;
      const msg = decodeMessage(pdu);
      socket.destroy();
      if (msg.protocolOp.type === 'bindResponse') resolve(msg.protocolOp.resultCode);
      else reject(new Error(`unexpected ${msg.protocolOp.type}`));
    });
    socket.once('connect', () => {
      socket.write(encodeMessage({ messageId: 1, protocolOp: { type: 'bindRequest', version: 3, name: dn, authentication: { kind: 'simple', password: Buffer.from(password) } }, controls: [] }));
    });
  });
}

describe('a ban decided through the Weakforced API holds on the LDAP front end', () => {
  let node: Node;
  before(async () => {
    // Relays configured (not loopback), so a peer binding directly is itself the client.
    node = await startNode({ http: { callers: CALLERS }, guard: { trustedRelays: ['10.255.255.0/24'] } });
  });
  after(async () => {
    await node?.stop();
  });

  test('a client binding from a banned address is refused, the right password from another address works', async () => {
    const dn = `uid=${ALICE.login},ou=users,dc=example,dc=org`;
    assert.equal(await ldapBind(node.ldapPort, '127.0.0.5', dn, ALICE.password), 0);
    assert.equal((await post(`${node.httpUrl}/command/addBLEntry`, WF_KEY, { ip: '127.0.0.5', expire_secs: 300, reason: 'test' })).body['status'], 'ok');
    assert.equal(await ldapBind(node.ldapPort, '127.0.0.5', dn, ALICE.password), 49, 'invalidCredentials for the banned client');
    assert.equal(await ldapBind(node.ldapPort, '127.0.0.6', dn, ALICE.password), 0);
  });
});
