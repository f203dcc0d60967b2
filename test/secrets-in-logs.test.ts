/**
 * No password, app password or token reaches the logs, at the most verbose level, whichever front end
 * a secret arrives through and whether the login succeeds or fails.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { boundPort, startHttpServer } from '../src/frontends/http/server.js';
import { startLdapServer } from '../src/frontends/ldap/server.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createTestApp, TEST_ACTOR, type TestApp } from './support/test-app.js';

const PASSWORD = 'Secret-Primary-77';
const WRONG = 'Wrong-Guess-9931';
const NEW_PASSWORD = 'Changed-Secret-4242';

describe('secrets never reach the logs', () => {
  let app: TestApp;
  let lines = '';
  let appSecret = '';
  let httpPort = 0;
  let ldapUrl = '';

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines += chunk.toString();
        done();
      },
    });
    app = await createTestApp(
      { http: { listen: { host: '127.0.0.1', port: 0 } }, ldap: { listen: { host: '127.0.0.1', port: 0 } } },
      { log: createLogger({ level: 'trace', destination: sink }) },
    );
    await app.identity.addDomain('example.org', TEST_ACTOR);
    await app.identity.addUser({ mail: 'alice@example.org', password: PASSWORD }, TEST_ACTOR);
    appSecret = (await app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['imap', 'ldap'] }, TEST_ACTOR)).secret;
    httpPort = boundPort(await startHttpServer(app));
    const ldap = await startLdapServer(app);
    assert.ok(ldap, 'the LDAP server is enabled');
    ldapUrl = `ldap://127.0.0.1:${ldap.port}`;
  });
  after(() => app.close());

  test('through the HTTP APIs, the LDAP server and a password change', async () => {
    const json = (username: string, password: string) =>
      fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password, protocol: 'imap', client_ip: '192.0.2.1' }),
      });
    for (const secret of [PASSWORD, WRONG, appSecret]) assert.ok([200, 403].includes((await json('alice', secret)).status));
    for (const secret of [PASSWORD, WRONG]) {
      await fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/nginx`, {
        headers: { 'Auth-Method': 'plain', 'Auth-User': 'alice', 'Auth-Pass': encodeURIComponent(secret), 'Auth-Protocol': 'imap', 'Client-IP': '192.0.2.2' },
      });
      await fetch(`http://127.0.0.1:${httpPort}/auth`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`alice:${secret}`).toString('base64')}` } });
    }
    const client = new Client({ url: ldapUrl });
    const dn = 'uid=alice,ou=users,dc=example,dc=org';
    await assert.rejects(client.bind(dn, WRONG), 'the wrong password is refused');
    await client.bind(dn, appSecret);
    await client.bind(dn, PASSWORD);
    await client.unbind();
    await app.identity.setPassword('alice', NEW_PASSWORD, TEST_ACTOR);
    await new Promise((r) => setTimeout(r, 50)); // let pino flush
    assert.ok(lines.length > 1000, 'trace logging produced output');
    for (const secret of [PASSWORD, WRONG, appSecret, NEW_PASSWORD, encodeURIComponent(WRONG)]) {
      assert.ok(!lines.includes(secret), `a secret reached the logs: ${secret.slice(0, 3)}…`);
    }
    assert.ok(!lines.includes(Buffer.from(`alice:${PASSWORD}`).toString('base64')), 'a Basic header reached the logs');
  });
});
