/**
 * Trusted issuers managed through the identity service, from the admin API and the CLI: validated,
 * audited, and the client secret never comes back out. Helpdesk and auditors cannot change
 * issuers, service accounts or domains.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ValidationError } from '../src/identity/validate.js';
import { json, webLogin, type WebSessionClient } from './support/web-client.js';
import { startWebServer, USERS, type WebServer } from './support/web-harness.js';

const SECRET = 'client-secret-never-shown-42';
const by = { actor: 'test', source: null };

describe('issuers in the identity service', () => {
  let server: WebServer;
  before(async () => {
    server = await startWebServer();
  });
  after(() => server.close());

  test('bad input is refused, naming the field; the secret is never in a message', async () => {
    const base = { name: 'IdP', issuer: 'https://idp.example.org', accountClaim: 'email' };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ issuer: 'http://idp.example.org' }, /^issuer .*https URL/],
      [{ issuer: 'not a url' }, /^issuer .*absolute URL/],
      [{ issuer: 'https://user:pw@idp.example.org' }, /without credentials/],
      [{ jwksUri: 'ftp://idp.example.org/keys' }, /^jwksUri/],
      [{ algorithms: ['none'] }, /^algorithms "none"/],
      [{ accountClaim: 'e mail' }, /^accountClaim/],
      [{ leewaySeconds: 7200 }, /^leewaySeconds/],
      [{ introspectionUrl: 'https://idp.example.org/introspect' }, /^clientId .*required with introspectionUrl/],
      [{ algorithms: ['HS256'] }, /^clientSecret .*HMAC/],
      [{ clientSecret: `${SECRET}\n` }, /^clientSecret "\(hidden\)"/],
    ];
    for (const [patch, message] of cases) {
      await assert.rejects(server.app.identity.addIssuer({ ...base, ...patch } as typeof base, by), (err: unknown) => {
        assert.ok(err instanceof ValidationError, String(err));
        assert.match(err.message, message);
        assert.equal(err.message.includes(SECRET), false);
        return true;
      });
    }
    assert.deepEqual(await server.app.identity.listIssuers(), []);
  });

  test('add, update by name, delete by issuer URL: audited without the secret, which never comes back', async () => {
    const added = await server.app.identity.addIssuer({ name: 'Keycloak', issuer: 'https://kc.example.org/realms/mail', accountClaim: 'preferred_username', introspectionUrl: 'https://kc.example.org/introspect', clientId: 'portcullis', clientSecret: SECRET }, by);
    assert.equal(added.hasClientSecret, true);
    assert.equal('clientSecret' in added, false);
    assert.equal(added.leewaySeconds, 60, 'defaults filled in');
    const stored = (await server.app.store.listTrustedIssuers())[0];
    assert.equal(stored?.clientSecret, SECRET, 'the token backend still gets it from the store');
    const updated = await server.app.identity.updateIssuer('Keycloak', { audiences: ['mail', 'mail'], enabled: false }, by);
    assert.deepEqual(updated.audiences, ['mail']);
    assert.equal(updated.enabled, false);
    await assert.rejects(server.app.identity.updateIssuer(added.id, { algorithms: ['HS256'], clientSecret: null }, by), /clientSecret .*HMAC/, 'rules across fields hold for patches');
    await server.app.identity.deleteIssuer('https://kc.example.org/realms/mail', by);
    assert.deepEqual(await server.app.identity.listIssuers(), []);
    const audit = await server.app.store.listAudit({ action: 'issuer.create', limit: 10, offset: 0 });
    assert.equal(audit[0]?.detail['hasClientSecret'], true);
    const all = JSON.stringify(await server.app.store.listAudit({ limit: 100, offset: 0 }));
    assert.ok(all.includes('issuer.update') && all.includes('issuer.delete'));
    assert.equal(all.includes(SECRET), false, 'never in the audit log');
  });
});

describe('issuers, service accounts and domains in the admin API', () => {
  let server: WebServer;
  let root: WebSessionClient, helen: WebSessionClient, audrey: WebSessionClient;
  before(async () => {
    server = await startWebServer();
    [root, helen, audrey] = (await Promise.all([USERS.root, USERS.helen, USERS.audrey].map((u) => webLogin(server.http, u.login, u.password)))) as [WebSessionClient, WebSessionClient, WebSessionClient];
  });
  after(() => server.close());

  test('the admin manages issuers; answers and the audit never hold the secret', async () => {
    const created = await root.call('POST', '/api/admin/v1/issuers', { name: 'IdP', issuer: 'https://idp.example.org', accountClaim: 'email', algorithms: ['HS256'], clientSecret: SECRET });
    assert.equal(created.statusCode, 201, created.body);
    const id = String(json(created)['id']);
    assert.equal(json(created)['hasClientSecret'], true);
    const patched = await root.call('PATCH', `/api/admin/v1/issuers/${id}`, { clientSecret: 'another-secret-value-43', enabled: false });
    assert.equal(patched.statusCode, 200, patched.body);
    const listed = await audrey.call('GET', '/api/admin/v1/issuers');
    assert.equal(listed.statusCode, 200);
    for (const body of [created.body, patched.body, listed.body, (await root.call('GET', '/api/admin/v1/audit?limit=200')).body]) {
      assert.equal(body.includes(SECRET) || body.includes('another-secret-value-43'), false);
    }
    const bad = await root.call('POST', '/api/admin/v1/issuers', { name: 'Bad', issuer: 'http://idp.example.net', accountClaim: 'email' });
    assert.equal(bad.statusCode, 400);
    assert.match(String(json(bad)['message']), /issuer .*https URL/);
    assert.equal((await root.call('POST', '/api/admin/v1/issuers', { name: 'Again', issuer: 'https://idp.example.org', accountClaim: 'sub' })).statusCode, 409);
    assert.equal((await root.call('DELETE', `/api/admin/v1/issuers/${id}`)).statusCode, 200);
    assert.equal((await root.call('DELETE', `/api/admin/v1/issuers/${id}`)).statusCode, 404);
  });

  test('helpdesk and auditors read but cannot change issuers, service accounts or domains', async () => {
    await server.app.identity.addIssuer({ name: 'Kept', issuer: 'https://kept.example.org', accountClaim: 'email' }, by);
    await server.app.identity.addServiceAccount({ name: 'dovecot', password: 'dovecot-password-1', roles: ['directory-read'] }, by);
    const changes: Array<['POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['POST', '/api/admin/v1/issuers', { name: 'x', issuer: 'https://x.example.org', accountClaim: 'email' }],
      ['PATCH', '/api/admin/v1/issuers/Kept', { enabled: false }],
      ['DELETE', '/api/admin/v1/issuers/Kept', undefined],
      ['POST', '/api/admin/v1/service-accounts', { name: 'evil', password: 'long-enough-1', roles: ['impersonate'] }],
      ['DELETE', '/api/admin/v1/service-accounts/dovecot', undefined],
      ['POST', '/api/admin/v1/domains', { name: 'example.net' }],
      ['DELETE', '/api/admin/v1/domains/example.org', undefined],
    ];
    for (const client of [helen, audrey]) {
      for (const url of ['/api/admin/v1/issuers', '/api/admin/v1/service-accounts', '/api/admin/v1/domains']) assert.equal((await client.call('GET', url)).statusCode, 200, url);
      for (const [method, url, body] of changes) {
        const res = await client.call(method, url, body);
        assert.equal(res.statusCode, 403, `${method} ${url}`);
        assert.match(String(json(res)['message']), /admin role/);
      }
    }
    assert.equal((await server.app.identity.listIssuers()).find((i) => i.name === 'Kept')?.enabled, true);
    assert.equal((await server.app.store.listServiceAccounts()).map((a) => a.name).join(), 'dovecot');
    assert.deepEqual((await server.app.store.listDomains()).map((d) => d.name), ['example.org']);
  });

  test('without the CSRF token nothing changes, even for the admin', async () => {
    for (const [method, url, body] of [
      ['POST', '/api/admin/v1/issuers', { name: 'y', issuer: 'https://y.example.org', accountClaim: 'email' }],
      ['POST', '/api/admin/v1/service-accounts', { name: 'sneaky', password: 'long-enough-1', roles: ['directory-read'] }],
      ['POST', '/api/admin/v1/domains', { name: 'example.com' }],
      ['POST', '/api/admin/v1/users/alice/aliases', { alias: 'ally@example.org' }],
    ] as const) {
      const res = await root.call(method, url, body, { csrf: null });
      assert.equal(res.statusCode, 403, url);
      assert.equal(json(res)['error'], 'csrf-failed');
    }
    assert.equal((await server.app.identity.listIssuers()).some((i) => i.name === 'y'), false);
    assert.equal((await server.app.identity.requireUser('alice')).aliases.length, 0);
  });
});

describe('portcullis issuer add|list|delete', () => {
  const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
  const TSX = import.meta.resolve('tsx');
  let dir: string;
  const cli = (args: string[], stdin = '') => {
    const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd: dir, input: stdin, encoding: 'utf8', env: { ...process.env, PORTCULLIS_LOG__LEVEL: 'warn', PORTCULLIS_PASSWORDS__ARGON2__MEMORY_KI_B: '8192', PORTCULLIS_PASSWORDS__ARGON2__ITERATIONS: '1' }, timeout: 60_000 });
    return { status: r.status ?? -1, out: r.stdout + r.stderr, stdout: r.stdout };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-issuer-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('adds with the secret from stdin, lists without it, deletes by name', () => {
    const added = cli(['--json', 'issuer', 'add', 'Company IdP', '--issuer', 'https://idp.example.org/realms/mail', '--account-claim', 'preferred_username', '--audience', 'mail', 'dav', '--introspection-url', 'https://idp.example.org/introspect', '--client-id', 'portcullis', '--client-secret'], `${SECRET}\n`);
    assert.equal(added.status, 0, added.out);
    assert.equal(added.out.includes(SECRET), false);
    const issuer = JSON.parse(added.stdout) as { name: string; audiences: string[]; hasClientSecret: boolean };
    assert.deepEqual([issuer.name, issuer.audiences, issuer.hasClientSecret], ['Company IdP', ['mail', 'dav'], true]);
    const listed = cli(['issuer', 'list']);
    assert.equal(listed.status, 0, listed.out);
    assert.match(listed.stdout, /Company IdP\s+https:\/\/idp\.example\.org\/realms\/mail\s+preferred_username\s+mail,dav\s+set\s+yes/);
    assert.equal(listed.out.includes(SECRET), false);
    const bad = cli(['issuer', 'add', 'Plain', '--issuer', 'http://idp.example.net', '--account-claim', 'email']);
    assert.equal(bad.status, 1);
    assert.match(bad.out, /issuer "http:\/\/idp\.example\.net" is invalid: expected an https URL/);
    assert.equal(cli(['issuer', 'delete', 'Company IdP']).status, 0);
    const missing = cli(['issuer', 'delete', 'Company IdP']);
    assert.equal(missing.status, 1);
    assert.match(missing.out, /not found/);
  });
});
