/** The admin REST API in-process: the roles matrix, API tokens, pagination and the OpenAPI document. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAdminToken } from '../src/frontends/web/admin-tokens.js';
import { webStateOf } from '../src/frontends/web/state.js';
import { json, webLogin, type WebSessionClient } from './support/web-client.js';
import { startWebServer, USERS, type WebServer } from './support/web-harness.js';

describe('admin API', () => {
  let server: WebServer;
  let root: WebSessionClient, helen: WebSessionClient, audrey: WebSessionClient, alice: WebSessionClient;

  before(async () => {
    server = await startWebServer();
    [root, helen, audrey, alice] = await Promise.all(
      [USERS.root, USERS.helen, USERS.audrey, USERS.alice].map((u) => webLogin(server.http, u.login, u.password)),
    ) as [WebSessionClient, WebSessionClient, WebSessionClient, WebSessionClient];
  });
  after(() => server.close());

  test('without a session or token: 401', async () => {
    const res = await server.http.inject({ method: 'GET', url: '/api/admin/v1/users' });
    assert.equal(res.statusCode, 401);
    assert.equal(json(res)['error'], 'login-required');
  });

  test('a user without an admin role: 403', async () => {
    const res = await alice.call('GET', '/api/admin/v1/users');
    assert.equal(res.statusCode, 403);
  });

  test('the auditor reads everything and changes nothing', async () => {
    for (const url of ['/api/admin/v1/users', '/api/admin/v1/groups', '/api/admin/v1/audit', '/api/admin/v1/guard/bans', '/api/admin/v1/issuers', '/api/admin/v1/service-accounts', '/api/admin/v1/stats']) {
      assert.equal((await audrey.call('GET', url)).statusCode, 200, url);
    }
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/admin/v1/users/alice/password', { password: 'audrey-was-here-1' }],
      ['POST', '/api/admin/v1/users/alice/enabled', { enabled: false }],
      ['POST', '/api/admin/v1/guard/bans', { ip: '192.0.2.99', ttlSeconds: 60 }],
      ['DELETE', '/api/admin/v1/users/alice', undefined],
    ];
    for (const [method, url, body] of attempts) {
      const res = await audrey.call(method as 'POST', url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    assert.equal((await server.app.store.findUserByLogin('alice'))?.enabled, true);
  });

  test('helpdesk resets passwords and enables users, but may not touch rules, bans, issuers, roles or admins', async () => {
    const reset = await helen.call('POST', '/api/admin/v1/users/alice/password', { password: 'alice-password-2' });
    assert.equal(reset.statusCode, 200, reset.body);
    await server.app.identity.setPassword('alice', USERS.alice.password, { actor: 'test', source: null });
    assert.equal((await helen.call('POST', '/api/admin/v1/users/alice/enabled', { enabled: true })).statusCode, 200);
    const created = await helen.call('POST', '/api/admin/v1/users/alice/app-passwords', { name: 'Helpdesk made', scopes: ['imap'] });
    assert.equal(created.statusCode, 201);

    const forbidden: Array<[string, string, unknown]> = [
      ['POST', '/api/admin/v1/guard/bans', { ip: '192.0.2.99', ttlSeconds: 60 }],
      ['POST', '/api/admin/v1/guard/allows', { ip: '192.0.2.99' }],
      ['POST', '/api/admin/v1/issuers', { name: 'x', issuer: 'https://idp.example.org', accountClaim: 'email' }],
      ['PATCH', '/api/admin/v1/users/alice', { roles: ['admin'] }],
      ['POST', '/api/admin/v1/users', { mail: 'mallory@example.org' }],
      ['POST', '/api/admin/v1/service-accounts', { name: 'x', password: 'long-enough-1', roles: ['impersonate'] }],
    ];
    for (const [method, url, body] of forbidden) {
      const res = await helen.call(method as 'POST', url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.match(String(json(res)['message']), /admin role/);
    }
    const escalate = await helen.call('POST', '/api/admin/v1/users/root/password', { password: 'helen-owns-root-1' });
    assert.equal(escalate.statusCode, 403, "helpdesk may not reset an admin's password");
    assert.deepEqual((await server.app.store.findUserByLogin('alice'))?.roles, []);
    assert.equal((await server.http.inject({ method: 'GET', url: '/api/admin/v1/guard/bans', headers: { cookie: root.cookie } })).body, '[]');
  });

  test('the admin does everything, and it is audited under the admin\'s name', async () => {
    const created = await root.call('POST', '/api/admin/v1/users', { mail: 'bob@example.org', displayName: 'Bob', password: 'bob-password-1' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await root.call('PATCH', '/api/admin/v1/users/bob', { roles: ['auditor'] })).statusCode, 200);
    assert.equal((await root.call('POST', '/api/admin/v1/groups', { name: 'staff', mail: 'staff@example.org' })).statusCode, 201);
    assert.equal((await root.call('PUT', '/api/admin/v1/groups/staff/members/bob')).statusCode, 200);
    assert.deepEqual(json(await root.call('GET', '/api/admin/v1/groups/staff'))['members'], ['bob']);
    assert.equal((await root.call('POST', '/api/admin/v1/users/bob/aliases', { alias: 'robert@example.org' })).statusCode, 200);
    const issuer = await root.call('POST', '/api/admin/v1/issuers', { name: 'IdP', issuer: 'https://idp.example.org', accountClaim: 'email', clientSecret: 's3cret-value' });
    assert.equal(issuer.statusCode, 201, issuer.body);
    assert.equal(issuer.body.includes('s3cret-value'), false, 'client secrets are write-only');
    const ban = await root.call('POST', '/api/admin/v1/guard/bans', { cidr: '198.51.100.0/24', ttlSeconds: 600, reason: 'test' });
    assert.equal(ban.statusCode, 201, ban.body);
    assert.equal((await root.call('DELETE', `/api/admin/v1/guard/bans/${encodeURIComponent(String(json(ban)['id']))}`)).statusCode, 200);
    const audit = json(await root.call('GET', '/api/admin/v1/audit?actor=admin:root&limit=100'));
    const actions = (audit['items'] as Array<{ action: string }>).map((e) => e.action);
    for (const a of ['user.create', 'user.update', 'group.create', 'group.member-add', 'alias.add', 'issuer.create', 'guard.ban', 'guard.unban']) assert.ok(actions.includes(a), a);
    assert.equal(JSON.stringify(audit).includes('s3cret-value'), false);
  });

  test('users are paged and searchable', async () => {
    const page = json(await audrey.call('GET', '/api/admin/v1/users?limit=2&offset=0'));
    assert.equal((page['items'] as unknown[]).length, 2);
    assert.ok(Number(page['total']) >= 4);
    const found = json(await audrey.call('GET', '/api/admin/v1/users?q=helen'));
    assert.deepEqual((found['items'] as Array<{ login: string }>).map((u) => u.login), ['helen']);
    assert.equal((await audrey.call('GET', '/api/admin/v1/users?limit=5000')).statusCode, 400);
  });

  test('API tokens: bearer, no CSRF needed, the user\'s roles apply, unknown or revoked tokens refused', async () => {
    const state = webStateOf(server.app);
    const rootUser = await server.app.identity.requireUser('root');
    const helenUser = await server.app.identity.requireUser('helen');
    const { token, secret } = await createAdminToken(state.web, { userId: rootUser.id, name: 'ci', expiresAt: null });
    const stored = await state.web.findAdminToken(token.tokenHash);
    assert.notEqual(stored?.tokenHash, secret, 'only the digest is stored');
    const bearer = (s: string) => ({ authorization: `Bearer ${s}` });
    const ok = await server.http.inject({ method: 'POST', url: '/api/admin/v1/guard/bans', headers: bearer(secret), payload: { ip: '192.0.2.77', ttlSeconds: 60 } });
    assert.equal(ok.statusCode, 201, ok.body);
    const entries = json(await server.http.inject({ method: 'GET', url: '/api/admin/v1/audit?action=guard.ban', headers: bearer(secret) }))['items'] as Array<{ actor: string }>;
    assert.equal(entries[0]?.actor, 'admin:root/token:ci');
    const help = await createAdminToken(state.web, { userId: helenUser.id, name: 'desk', expiresAt: null });
    assert.equal((await server.http.inject({ method: 'POST', url: '/api/admin/v1/guard/bans', headers: bearer(help.secret), payload: { ip: '192.0.2.78', ttlSeconds: 60 } })).statusCode, 403);
    assert.equal((await server.http.inject({ method: 'GET', url: '/api/admin/v1/users', headers: bearer('pct_' + 'A'.repeat(43)) })).statusCode, 401);
    await state.web.deleteAdminToken(token.id);
    assert.equal((await server.http.inject({ method: 'GET', url: '/api/admin/v1/users', headers: bearer(secret) })).statusCode, 401);
  });

  test('the OpenAPI document is generated from the routes and names each route\'s role', async () => {
    const res = await server.http.inject({ method: 'GET', url: '/api/admin/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = json(res) as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.paths['/api/admin/v1/users/{login}/password']?.['post']?.['x-required-role'], 'helpdesk');
    assert.equal(doc.paths['/api/admin/v1/guard/bans']?.['post']?.['x-required-role'], 'admin');
    assert.equal(doc.paths['/api/admin/v1/audit']?.['get']?.['x-required-role'], 'auditor');
    assert.ok(doc.paths['/api/self/v1/app-passwords']?.['post']?.['requestBody']);
    assert.ok(doc.paths['/api/admin/v1/stats/stream']?.['get']);
  });
});
