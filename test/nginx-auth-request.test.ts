// Gateway mode for JMAP and *DAV: a real nginx reverse proxy asks Portcullis with auth_request before
// a request reaches the backend; curl plays the client, from distinct loopback addresses.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { boundPort, startHttpServer } from '../src/frontends/http/server.js';
import { skipUnless } from './peers/common.js';
import { startNginxAuthRequest, type NginxHttp } from './peers/nginx-http.js';
import { createTestApp, TEST_ACTOR, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const KEY = 'nginx-shared-secret-0123456789';
const PASSWORD = 'jmap-password-1';

interface Answer {
  status: number;
  headers: string;
  body: string;
}

/** curl through nginx from a chosen loopback address; the password goes through stdin, never argv. */
async function get(port: number, from: string, credentials?: string): Promise<Answer> {
  const config = credentials ? `user = "${credentials.replace(/"/g, '\\"')}"\n` : '';
  const child = run('curl', ['-s', '-i', '--max-time', '10', '--interface', from, '--config', '-', `http://127.0.0.1:${port}/jmap/session`]);
  child.child.stdin?.end(config);
  const { stdout } = await child;
  const [head = '', body = ''] = stdout.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body };
}

describe('nginx auth_request with Portcullis (JMAP/*DAV gateway)', { skip: skipUnless('nginx', 'curl') }, () => {
  let app: TestApp;
  let nginx: NginxHttp;
  let backend: Server;
  let jmapSecret: string;
  let imapSecret: string;
  let portcullisPort: number;

  before(async () => {
    backend = createServer((req, res) => res.end(`hello ${String(req.headers['x-authenticated-user'])}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    app = await createTestApp({ http: { listen: { host: '127.0.0.1', port: 0 }, callers: [{ name: 'nginx', apiKey: KEY, endpoints: ['nginx'] }] } });
    await app.identity.addDomain('example.org', TEST_ACTOR);
    await app.identity.addUser({ mail: 'alice@example.org', password: PASSWORD }, TEST_ACTOR);
    jmapSecret = (await app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['jmap'] }, TEST_ACTOR)).secret;
    imapSecret = (await app.identity.createAppPassword('alice', { name: 'Laptop', scopes: ['imap'] }, TEST_ACTOR)).secret;
    const http = await startHttpServer(app);
    portcullisPort = boundPort(http);
    nginx = await startNginxAuthRequest({
      authUrl: `http://127.0.0.1:${boundPort(http)}/api/v1/auth/request`,
      backendUrl: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
      authHeaders: { 'X-Portcullis-Key': KEY, 'X-Portcullis-Protocol': 'jmap' },
    });
  });

  after(async () => {
    await nginx?.stop();
    await app?.close();
    backend?.close();
  });

  test('the right password reaches the backend, which learns the account', async () => {
    const answer = await get(nginx.port, '127.0.0.11', `alice@example.org:${PASSWORD}`);
    assert.equal(answer.status, 200, nginx.logTail());
    assert.equal(answer.body, 'hello alice');
  });

  test('no or wrong credentials get 401 with a Basic challenge, and the backend is not reached', async () => {
    for (const credentials of [undefined, 'alice@example.org:wrong-password']) {
      const answer = await get(nginx.port, '127.0.0.12', credentials);
      assert.equal(answer.status, 401);
      assert.match(answer.headers, /WWW-Authenticate: Basic realm="portcullis"/i);
      assert.doesNotMatch(answer.body, /hello/);
    }
  });

  test('app passwords are scoped: jmap passes, an imap-only one is refused', async () => {
    assert.equal((await get(nginx.port, '127.0.0.13', `alice:${jmapSecret}`)).status, 200);
    assert.equal((await get(nginx.port, '127.0.0.13', `alice:${imapSecret}`)).status, 401);
  });

  test('a banned client address gets 403 even with the right password, others pass', async () => {
    assert.ok(app.guardAdmin, 'the detection guard is built');
    await app.guardAdmin.addBan({ ip: '127.0.0.14', ttlSeconds: 600, reason: 'test' });
    assert.equal((await get(nginx.port, '127.0.0.14', `alice:${PASSWORD}`)).status, 403);
    assert.equal((await get(nginx.port, '127.0.0.15', `alice:${PASSWORD}`)).status, 200);
  });

  test('only nginx with the shared secret may ask', async () => {
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
    const direct = await fetch(`http://127.0.0.1:${portcullisPort}/api/v1/auth/request`, { headers: { Authorization: basic } });
    assert.equal(direct.status, 401);
    assert.equal(((await direct.json()) as { error: string }).error, 'api-key-required');
    const internal = await fetch(`http://127.0.0.1:${nginx.port}/_portcullis`);
    assert.equal(internal.status, 404, 'the auth location is internal to nginx');
  });
});
