/**
 * Backends inside the pipeline: the guard and the verification cache apply to upstream accounts
 * exactly as to local ones; per-domain routing; and misconfigured backends stop start-up with a
 * message naming the configuration key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError, validateConfig } from '../src/config/load.js';
import type { ConfigInput } from '../src/config/schema.js';
import type { Attempt } from '../src/pipeline/attempt.js';
import { createTestApp, seedAlice, type TestApp } from './support/test-app.js';

const dir = mkdtempSync(join(tmpdir(), 'backends-pipeline-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

// A customer module that counts its verifications, so the cache's effect is visible.
const counting = write(
  'counting.mjs',
  `export const calls = { verify: 0 };
export function createBackend(options) {
  return {
    async verify(login, password) {
      calls.verify += 1;
      if (login !== 'ivan' && login !== 'ivan@upstream.example') return { ok: false, reason: 'unknown-user' };
      return password === options.password ? { ok: true, account: { login: 'ivan', mail: 'ivan@upstream.example' } } : { ok: false };
    },
  };
}
`,
);

const attempt = (login: string, secret: string, clientIp: string): Attempt => ({ login, secret, mode: 'authenticate', protocol: 'imap', clientIp, relayIp: null, tls: true, frontEnd: 'test' });

let app: TestApp;
let calls: { verify: number };
before(async () => {
  app = await createTestApp({
    backends: { order: ['local', 'ivan'], upstreams: [{ name: 'ivan', type: 'module', module: counting, options: { password: 'ivan-password-1' } }] },
  });
  await seedAlice(app);
  ({ calls } = (await import(counting)) as { calls: { verify: number } });
});
after(() => app.close());

test('a repeated upstream success is served from the verification cache', async () => {
  const before = calls.verify;
  const first = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.50'));
  const second = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.50'));
  assert.deepEqual([first.ok && first.cached, second.ok && second.cached], [false, true]);
  assert.equal(calls.verify - before, 1, 'the backend was asked once');
});

test('the guard counts an upstream user’s wrong passwords and bans the guessing address', async () => {
  const ip = '192.0.2.66';
  for (let i = 0; i < 10; i++) {
    const wrong = await app.pipeline.decide(attempt('ivan', `guess-${i}`, ip));
    assert.equal(wrong.ok, false);
  }
  const right = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', ip));
  assert.equal(!right.ok && right.reason, 'banned', 'ip-bruteforce applies to upstream accounts as to local ones');
  const elsewhere = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.67'));
  assert.equal(elsewhere.ok, true);
});

test('routing: a routed domain asks only its backends; others use the default order', async () => {
  const routed = await createTestApp({
    backends: { order: ['local'], routes: { 'upstream.example': ['ivan'] }, upstreams: [{ name: 'ivan', type: 'module', module: counting, options: { password: 'ivan-password-1' } }] },
  });
  try {
    await seedAlice(routed);
    assert.equal((await routed.pipeline.decide(attempt('ivan@upstream.example', 'ivan-password-1', '192.0.2.1'))).ok, true);
    assert.equal((await routed.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.1'))).ok, false, 'no domain: local only');
    const before = calls.verify;
    assert.equal((await routed.pipeline.decide(attempt('alice@example.org', 'alice-password-1', '192.0.2.1'))).ok, true);
    assert.equal(calls.verify, before, 'example.org logins never reach the upstream');
    assert.deepEqual(routed.backends.orderFor('x@UPSTREAM.example.').map((b) => b.name), ['ivan']);
  } finally {
    await routed.close();
  }
});

function configProblems(backends: unknown): string {
  try {
    validateConfig({ backends });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  return '';
}

test('configuration mistakes are reported with their key', () => {
  assert.match(configProblems({ order: ['local', 'ad'] }), /backends\.order\.1: .*unknown backend ad/);
  const ldap = { name: 'ad', type: 'ldap', url: 'ldaps://dc.corp.example', baseDn: 'dc=corp,dc=example' };
  assert.match(configProblems({ upstreams: [ldap] }), /backend ad is in neither backends\.order nor any route/);
  const both = configProblems({ order: ['ad'], upstreams: [{ ...ldap, startTls: true, bindDn: 'cn=x' }] });
  assert.match(both, /backends\.upstreams\.0\.startTls: .*StartTLS is for ldap:\/\//, 'every problem is reported at once');
  assert.match(both, /backends\.upstreams\.0\.bindPassword: .*bindDn and bindPassword go together/);
  assert.match(configProblems({ order: ['ad'], upstreams: [{ ...ldap, userFiltr: '(uid={login})' }] }), /unknown key\(s\) "userFiltr"/);
  assert.match(configProblems({ order: ['x'], upstreams: [{ name: 'x', type: 'http', url: 'ftp://x', secret: 'short' }] }), /secret: \(hidden\) is invalid — expected a shared secret of at least 16/);
  assert.match(configProblems({ order: ['local'], upstreams: [{ name: 'local', type: 'module', module: './x.js' }] }), /"local" is the built-in store/);
});

async function startupError(upstream: Record<string, unknown>): Promise<string> {
  const config = { backends: { order: ['local', 'custom'], upstreams: [{ name: 'custom', ...upstream }] } } as ConfigInput;
  try {
    const started = await createTestApp(config);
    await started.close();
  } catch (err) {
    return (err as Error).message;
  }
  return 'started';
}

test('a module that is missing, lacks its export or has the wrong shape stops start-up', async () => {
  const missing = join(dir, 'nope.mjs');
  assert.equal(await startupError({ type: 'module', module: missing }), `backends.upstreams[0].module: module ${missing} not found`);
  const noExport = write('no-export.mjs', 'export const other = 1;\n');
  assert.equal(await startupError({ type: 'module', module: noExport }), `backends.upstreams[0].export: ${noExport} has no function export "createBackend" (it exports: other)`);
  const noVerify = write('no-verify.mjs', 'export function createBackend() { return { lookup() {} }; }\n');
  assert.match(await startupError({ type: 'module', module: noVerify }), /^backends\.upstreams\[0\]\.module: .* an object without a verify\(login, password, ctx\) method$/);
  const broken = write('broken.mjs', 'export function createBackend() { throw new Error("no users configured"); }\n');
  assert.match(await startupError({ type: 'module', module: broken }), /^backends\.upstreams\[0\]\.options: .*no users configured/);
  const syntax = write('syntax.mjs', 'export function createBackend( {\n');
  assert.match(await startupError({ type: 'module', module: syntax }), /^backends\.upstreams\[0\]\.module: cannot load/);
  assert.match(
    await startupError({ type: 'ldap', url: 'ldaps://127.0.0.1:1', baseDn: 'dc=x', tls: { caFile: join(dir, 'no-ca.pem') } }),
    /^backends\.upstreams\[0\]\.tls\.caFile: cannot read/,
  );
});

test('an upstream account disabled in Portcullis is refused, even while the upstream allows it and its login is cached', async () => {
  const by = { actor: 'test', source: null };
  assert.ok((await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.60'))).ok);
  const shadow = await app.identity.findUser('ivan');
  assert.ok(shadow, 'the first login made a shadow record');
  await app.identity.setEnabled('ivan', false, by);
  const refused = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.60'));
  assert.equal(!refused.ok && refused.reason, 'account-disabled');
  const again = await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.60'));
  assert.equal(again.ok, false, 'a new upstream login does not re-enable it');
  assert.equal((await app.identity.findUser('ivan'))?.enabled, false);
  await app.identity.setEnabled('ivan', true, by);
  assert.ok((await app.pipeline.decide(attempt('ivan', 'ivan-password-1', '192.0.2.60'))).ok);
});
