// Real clients through a real nginx mail proxy that asks Portcullis over auth_http: curl (IMAP, POP3) reaches a
// real Dovecot, swaks (SMTP) reaches an XCLIENT-capable SMTP backend that records what nginx tells it.
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { boundPort, startHttpServer } from '../src/frontends/http/server.js';
import { curlLogin, swaksAuth } from './peers/clients.js';
import { skipUnless } from './peers/common.js';
import { startDovecot, type Dovecot } from './peers/dovecot.js';
import { startNginxMail, type NginxMail } from './peers/nginx.js';
import { createTestApp, TEST_ACTOR, type TestApp } from './support/test-app.js';

const PASSWORD = 'correct horse%bättery';
const NGINX_KEY = 'nginx-shared-secret-0123456789';

/** An SMTP backend speaking just enough for nginx's proxy handshake, XCLIENT included; it records every line. */
async function startSmtpBackend(): Promise<{ port: number; lines: string[]; server: Server }> {
  const lines: string[] = [];
  const server = createServer((s) => {
    s.write('220 backend ESMTP\r\n');
    s.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\r\n').filter(Boolean)) {
        lines.push(line);
        if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else if (/^EHLO/i.test(line)) s.write('250-backend\r\n250-XCLIENT ADDR LOGIN NAME HELO\r\n250 8BITMIME\r\n');
        else if (/^XCLIENT/i.test(line)) s.write('220 backend ESMTP\r\n');
        else s.write('250 ok\r\n');
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, lines, server };
}

/** A raw IMAP LOGIN, to read exactly what the client is told. */
function imapLogin(port: number, user: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = '';
    let sent = false;
    socket.setTimeout(15_000, () => socket.destroy(new Error(`IMAP timeout; got: ${buffer}`)));
    socket.on('data', (d: Buffer) => {
      buffer += d.toString('utf8');
      if (!sent && buffer.includes('\r\n')) {
        sent = true;
        socket.write(`a1 LOGIN "${user}" "${password}"\r\n`);
      }
      const tagged = /^a1 .*$/m.exec(buffer);
      if (tagged) {
        socket.end();
        resolve(tagged[0].trim());
      }
    });
    socket.on('error', reject);
  });
}

describe('nginx mail proxy with Portcullis as auth_http', { skip: skipUnless('nginx', 'dovecot', 'curl', 'swaks') }, () => {
  let app: TestApp;
  let dovecot: Dovecot;
  let nginx: NginxMail;
  let smtp: Awaited<ReturnType<typeof startSmtpBackend>>;
  let appPassword: string;
  let imapOnly: string;
  const ports = () => ({ imap: nginx.imapPort ?? 0, pop3: nginx.pop3Port ?? 0, smtp: nginx.smtpPort ?? 0 });
  const logs = () => `\n--- nginx ---\n${nginx.logTail(20)}\n--- dovecot ---\n${dovecot.logTail(20)}`;

  before(async () => {
    // nginx has authenticated the login already, so the backend Dovecot accepts what it is given.
    dovecot = await startDovecot({ passdb: { driver: 'static' } });
    smtp = await startSmtpBackend();
    app = await createTestApp({
      http: { listen: { host: '127.0.0.1', port: 0 }, callers: [{ name: 'nginx', apiKey: NGINX_KEY, endpoints: ['nginx'] }] },
      nginx: {
        retryWaitSeconds: 1,
        upstreams: { imap: { host: '127.0.0.1', port: dovecot.imapPort }, pop3: { host: '127.0.0.1', port: dovecot.pop3Port }, smtp: { host: '127.0.0.1', port: smtp.port } },
      },
    });
    await app.identity.addDomain('example.org', TEST_ACTOR);
    await app.identity.addUser({ mail: 'alice@example.org', displayName: 'Alice', password: PASSWORD }, TEST_ACTOR);
    appPassword = (await app.identity.createAppPassword('alice', { name: 'Thunderbird', scopes: ['imap', 'pop3', 'smtp'] }, TEST_ACTOR)).secret;
    imapOnly = (await app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['imap'] }, TEST_ACTOR)).secret;
    const http = await startHttpServer(app);
    nginx = await startNginxMail({
      authHttp: `http://127.0.0.1:${boundPort(http)}/auth/nginx`,
      authHttpHeaders: { 'X-Portcullis-Key': NGINX_KEY },
      xclient: true,
    });
  });
  after(async () => {
    await nginx?.stop();
    await dovecot?.stop();
    smtp?.server.close();
    await app?.close();
  });

  test('IMAP and POP3 with the primary password (percent-escaped by nginx, UTF-8)', async () => {
    const imap = await curlLogin('imap', ports().imap, 'alice', PASSWORD);
    assert.equal(imap.code, 0, imap.stderr + logs());
    assert.match(imap.stdout, /INBOX/);
    const pop3 = await curlLogin('pop3', ports().pop3, 'alice@example.org', PASSWORD);
    assert.equal(pop3.code, 0, pop3.stderr + logs());
  });

  test('SMTP AUTH with the primary password; nginx hands the login to the backend by XCLIENT', async () => {
    const sent = await swaksAuth(ports().smtp, 'alice', PASSWORD);
    assert.equal(sent.code, 0, sent.stdout + sent.stderr + logs());
    assert.match(sent.stdout, /235 /);
    assert.ok(smtp.lines.some((l) => /^XCLIENT .*LOGIN=alice\b/.test(l)), smtp.lines.join('\n'));
  });

  test('an app password works on IMAP, POP3 and SMTP', async () => {
    assert.equal((await curlLogin('imap', ports().imap, 'alice', appPassword)).code, 0);
    assert.equal((await curlLogin('pop3', ports().pop3, 'alice', appPassword)).code, 0);
    const sent = await swaksAuth(ports().smtp, 'alice', appPassword, { mech: 'LOGIN' });
    assert.equal(sent.code, 0, sent.stdout + sent.stderr + logs());
  });

  test('a wrong password is refused and the client sees the Auth-Status text', async () => {
    assert.equal(await imapLogin(ports().imap, 'alice', 'wrong-password-1'), 'a1 NO Invalid login or password');
    const curl = await curlLogin('imap', ports().imap, 'alice', 'wrong-password-1');
    assert.equal(curl.code, 67, curl.stderr);
    const pop3 = await curlLogin('pop3', ports().pop3, 'alice', 'wrong-password-1');
    assert.equal(pop3.code, 67, pop3.stderr);
    const sent = await swaksAuth(ports().smtp, 'alice', 'wrong-password-1');
    assert.notEqual(sent.code, 0);
    assert.match(sent.stdout, /535 5\.7\.8 Invalid login or password/);
  });

  test('an app password scoped to IMAP is refused on SMTP, accepted on IMAP', async () => {
    assert.equal((await curlLogin('imap', ports().imap, 'alice', imapOnly)).code, 0);
    const sent = await swaksAuth(ports().smtp, 'alice', imapOnly);
    assert.notEqual(sent.code, 0);
    assert.match(sent.stdout, /535 5\.7\.8 Invalid login or password/);
  });
});
