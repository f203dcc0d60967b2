// A real Dovecot 2.3 using Portcullis as its auth policy server (Weakforced API): brute force from
// one address is refused by the policy, while the right password from a clean address logs in.
// curl binds distinct loopback sources (--interface 127.0.0.x) so Dovecot reports distinct remotes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { boundPort, buildHttpServer } from '../src/frontends/http/server.js';
import { run, type RunResult } from './peers/clients.js';
import { requirePeers, skipUnless } from './peers/common.js';
import { startDovecot, type Dovecot } from './peers/dovecot.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const KEY = 'dovecot-policy-key-0123456789';
const PASSWORD = 'right-password-1';

/** An IMAP login from a chosen loopback source address; -v so Dovecot's answers show in stderr. */
function imapFrom(source: string, port: number, user: string, password: string): Promise<RunResult> {
  requirePeers('curl');
  const config = `user = "${user}:${password}"\n`;
  return run('curl', ['-sS', '-v', '--max-time', '15', '--interface', source, '--config', '-', `imap://127.0.0.1:${port}/`], { input: config, timeoutMs: 20_000 });
}

describe('Dovecot with Portcullis as its auth policy server', { skip: skipUnless('dovecot', 'curl') }, () => {
  let app: TestApp;
  let http: FastifyInstance;
  let dovecot: Dovecot;

  before(async () => {
    app = await createTestApp({
      http: { callers: [{ name: 'dovecot', apiKey: KEY, endpoints: ['weakforced'] }] },
      // One rule, so the test needs no delays: the 5th distinct wrong password from an address bans it.
      guard: { rules: [{ name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 5, action: { type: 'ban', ttlSeconds: 900 } }] },
    });
    http = await buildHttpServer(app);
    await http.listen({ host: '127.0.0.1', port: 0 });
    dovecot = await startDovecot({
      passdb: { driver: 'passwd-file', users: { alice: PASSWORD } },
      policy: { serverUrl: `http://127.0.0.1:${boundPort(http)}/`, hashNonce: 'nonce-0123456789', apiHeader: `X-API-Key: ${KEY}` },
    });
  });

  after(async () => {
    await dovecot?.stop();
    await http?.close();
    await app?.close();
  });

  test('brute force from 127.0.0.2 is refused by the policy; 127.0.0.3 still logs in', async () => {
    assert.equal((await imapFrom('127.0.0.2', dovecot.imapPort, 'alice', PASSWORD)).code, 0, 'logs in before the attack');
    for (let i = 0; i < 5; i++) {
      const r = await imapFrom('127.0.0.2', dovecot.imapPort, 'alice', `guess-${i}`);
      assert.equal(r.code, 67, `guess ${i} is a plain wrong password: ${r.stderr}`);
    }
    const bans = app.guardAdmin?.listBans() ?? [];
    assert.ok(bans.some((e) => e.id === 'ban:ip:127.0.0.2'), `Dovecot's reports banned the address: ${JSON.stringify(bans)}`);

    const refused = await imapFrom('127.0.0.2', dovecot.imapPort, 'alice', PASSWORD);
    assert.equal(refused.code, 67, 'the right password from the banned address is refused');
    assert.match(refused.stderr, /NO \[ALERT\] too many invalid attempts/, 'Dovecot shows the policy\'s refusal');
    assert.match(dovecot.logTail(200), /policy/i);

    const clean = await imapFrom('127.0.0.3', dovecot.imapPort, 'alice', PASSWORD);
    assert.equal(clean.code, 0, `a clean address logs in: ${clean.stderr}\n${dovecot.logTail()}`);
  });

  test('the Dovecot peer is never counted or banned itself (it is the relay)', async () => {
    const e = await app.guardAdmin!.explain('127.0.0.1');
    assert.equal(e.bans.length, 0);
    assert.equal(e.rules.find((r) => r.rule === 'ip-bruteforce')?.count, 0);
  });
});
