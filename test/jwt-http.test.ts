// Bearer tokens end to end: createApp's verifier reads trusted issuers from the store; OpenCloud /auth and the Nauthilus API use them.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startHttpTest, type HttpTest } from './support/http-testing.js';
import { startIssuer, type LocalIssuer } from './jwt-issuer.js';

describe('bearer tokens over HTTP', () => {
  let t: HttpTest;
  let idp: LocalIssuer;
  let dead: LocalIssuer;
  const claims = { preferred_username: 'alice', aud: 'portcullis' };
  const bearer = (token: string) => t.http.inject({ method: 'POST', url: '/auth', headers: { authorization: `Bearer ${token}` } });
  const basic = (user: string, password: string) =>
    t.http.inject({ method: 'POST', url: '/auth', headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });

  before(async () => {
    idp = await startIssuer();
    await idp.addKey('ES256', 'ec-1');
    dead = await startIssuer();
    await dead.addKey('RS256', 'rsa-dead');
    t = await startHttpTest({ auth: { issuerRefreshSeconds: 1, tokenFetchTimeoutMs: 1000 } });
    const base = { audiences: ['portcullis'], jwksUri: null, algorithms: [], accountClaim: 'preferred_username', clientId: idp.clientId, clientSecret: idp.clientSecret, leewaySeconds: 0, enabled: true };
    await t.app.store.createTrustedIssuer({ ...base, name: 'idp', issuer: idp.url, introspectionUrl: `${idp.url}/introspect` });
    await t.app.store.createTrustedIssuer({ ...base, name: 'dead', issuer: dead.url, introspectionUrl: null });
    await sleep(1100); // the verifier re-reads issuers after issuerRefreshSeconds
  });
  after(async () => {
    await t.close();
    await idp.close();
    await dead.close();
  });

  test('OpenCloud /auth with Bearer: 200 with the subject and attributes', async () => {
    const res = await bearer(await idp.sign(claims));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { subject: 'alice', roles: [], mail: 'alice@example.org', displayName: 'Alice Example', groups: [] });
  });

  test('OpenCloud /auth with Basic and a JWT as the password', async () => {
    const res = await basic('alice', await idp.sign(claims));
    assert.equal(res.statusCode, 200, res.body);
    const other = await basic('bob', await idp.sign(claims));
    assert.equal(other.statusCode, 401, 'a token for alice does not log in bob');
  });

  test('an opaque token through introspection', async () => {
    idp.opaque.set('0paque-token-for-alice', { active: true, preferred_username: 'alice' });
    assert.equal((await bearer('0paque-token-for-alice')).statusCode, 200);
    assert.equal((await bearer('0paque-token-unknown')).statusCode, 401);
  });

  test('garbage, expired and forged tokens → 401 {"reason"}, never echoed', async () => {
    const expired = await idp.sign(claims, undefined, { expiresIn: Math.floor(Date.now() / 1000) - 600 });
    for (const token of ['garbage', 'a.b.c', expired, `${expired.slice(0, -4)}AAAA`]) {
      const res = await bearer(token);
      assert.equal(res.statusCode, 401, token);
      assert.equal(typeof res.json().reason, 'string');
      assert.ok(!res.body.includes(token));
    }
  });

  test('malformed Authorization → 400 {"reason"}; none → 401', async () => {
    for (const header of ['Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64'), 'Bearer a b', 'Digest x', 'Basic']) {
      const res = await t.http.inject({ method: 'POST', url: '/auth', headers: { authorization: header } });
      assert.equal(res.statusCode, 400, header);
      assert.match(res.json().reason, /malformed/);
    }
    assert.equal((await t.http.inject({ method: 'POST', url: '/auth' })).statusCode, 401);
  });

  test('a dead JWKS is a temporary failure, not a wrong password', async () => {
    const token = await dead.sign(claims);
    await dead.close();
    const res = await bearer(token);
    assert.equal(res.statusCode, 500, res.body);
    assert.match(res.json().reason, /temporary/);
    const nauthilus = await t.http.inject({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'alice', password: token }) });
    assert.equal(nauthilus.statusCode, 500);
  });

  test('Nauthilus JSON with a JWT as the password', async () => {
    const token = await idp.sign(claims);
    const res = await t.http.inject({ method: 'POST', url: '/api/v1/auth/json', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'alice@example.org', password: token, protocol: 'imap' }) });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!JSON.stringify(res.headers).includes(token) && !res.body.includes(token));
  });
});
