// Bearer-token verification against a real local issuer: discovery, JWKS rotation, claims, algorithms, introspection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IssuerTokenVerifier } from '../src/backends/tokens/verifier.js';
import type { TrustedIssuer } from '../src/identity/model.js';
import { startIssuer, type LocalIssuer } from './jwt-issuer.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

function trusted(issuer: LocalIssuer, patch: Partial<TrustedIssuer> = {}): TrustedIssuer {
  return {
    id: `id-${issuer.url}`,
    name: 'idp',
    issuer: issuer.url,
    audiences: ['portcullis'],
    jwksUri: null,
    algorithms: [],
    accountClaim: 'preferred_username',
    introspectionUrl: `${issuer.url}/introspect`,
    clientId: issuer.clientId,
    clientSecret: issuer.clientSecret,
    leewaySeconds: 0,
    enabled: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...patch,
  };
}

describe('IssuerTokenVerifier', () => {
  let idp: LocalIssuer;
  let list: TrustedIssuer[];
  let verifier: IssuerTokenVerifier;
  const claims = { preferred_username: 'alice', aud: 'portcullis' };

  before(async () => {
    idp = await startIssuer();
    await idp.addKey('RS256', 'rsa-1');
    list = [trusted(idp)];
    verifier = new IssuerTokenVerifier({
      store: { listTrustedIssuers: async () => list },
      leewaySeconds: 5,
      jwksCacheSeconds: 600,
      issuerRefreshSeconds: 0,
      fetchTimeoutMs: 2000,
      jwksCooldownMs: 0,
    });
    await verifier.issuers.current();
  });
  after(() => idp.close());

  test('RS256, ES256 and EdDSA tokens verify through discovery and name the account', async () => {
    await idp.addKey('ES256', 'ec-1');
    await idp.addKey('EdDSA', 'ed-1');
    for (const key of idp.keys) {
      const token = await idp.sign(claims, key);
      assert.equal(verifier.looksLikeToken(token), true);
      assert.deepEqual(await verifier.verify(token), { status: 'valid', accountName: 'alice', issuer: idp.url }, key.alg);
    }
  });

  test('key rotation: a token with a new kid is picked up from the JWKS', async () => {
    const before = idp.jwksFetches;
    const rotated = await idp.addKey('ES256', 'ec-2');
    const check = await verifier.verify(await idp.sign(claims, rotated));
    assert.equal(check.status, 'valid');
    assert.ok(idp.jwksFetches > before, 'the key set was fetched again');
  });

  test('expired, not yet valid, wrong audience, missing claim → invalid', async () => {
    const cases: Array<[string, Promise<string>]> = [
      ['expired', idp.sign(claims, undefined, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
      ['nbf in the future', idp.sign(claims, undefined, { notBefore: Math.floor(Date.now() / 1000) + 600 })],
      ['wrong audience', idp.sign({ ...claims, aud: 'someone-else' })],
      ['no account claim', idp.sign({ aud: 'portcullis', sub: 'x' })],
    ];
    for (const [name, token] of cases) assert.equal((await verifier.verify(await token)).status, 'invalid', name);
  });

  test('expiry within the leeway is accepted', async () => {
    const token = await idp.sign(claims, undefined, { expiresIn: Math.floor(Date.now() / 1000) - 2 });
    assert.equal((await verifier.verify(token)).status, 'valid');
  });

  test('an untrusted issuer is not even treated as a token when typed as a password', async () => {
    const token = await idp.sign({ ...claims, iss: 'https://evil.example' });
    assert.equal(verifier.looksLikeToken(token), false);
    assert.equal((await verifier.verify(token)).status, 'invalid');
  });

  test('a token signed by a key the issuer never published → invalid', async () => {
    const { newKey } = await import('./jwt-issuer.js');
    const rogue = await newKey('RS256', 'rsa-1');
    assert.equal((await verifier.verify(await idp.sign(claims, rogue))).status, 'invalid');
  });

  test('alg none is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: idp.url, exp: now + 300 })}.`;
    const check = await verifier.verify(token);
    assert.equal(check.status, 'invalid');
  });

  test('HS256 is refused unless the issuer allows it explicitly', async () => {
    const { SignJWT } = await import('jose');
    const secret = new TextEncoder().encode(idp.clientSecret);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(idp.url).setExpirationTime('5m').sign(secret);
    assert.equal((await verifier.verify(token)).status, 'invalid');
    list = [trusted(idp, { algorithms: ['HS256'], updatedAt: new Date(1) })];
    try {
      assert.equal((await verifier.verify(token)).status, 'valid');
    } finally {
      list = [trusted(idp)];
    }
  });

  test('opaque tokens: introspection active → valid, inactive → invalid', async () => {
    idp.opaque.set('opaque-good', { active: true, username: 'alice', aud: 'portcullis', exp: Math.floor(Date.now() / 1000) + 60 });
    idp.opaque.set('opaque-expired', { active: true, username: 'alice', exp: Math.floor(Date.now() / 1000) - 600 });
    assert.deepEqual(await verifier.verify('opaque-good'), { status: 'valid', accountName: 'alice', issuer: idp.url });
    assert.equal((await verifier.verify('opaque-revoked')).status, 'invalid');
    assert.equal((await verifier.verify('opaque-expired')).status, 'invalid');
    assert.equal(verifier.looksLikeToken('opaque-good'), false, 'opaque tokens only travel as Bearer');
  });

  test('introspection with wrong client credentials is unavailable, not a wrong password', async () => {
    list = [trusted(idp, { clientSecret: 'wrong', updatedAt: new Date(2) })];
    try {
      assert.equal((await verifier.verify('opaque-good')).status, 'unavailable');
    } finally {
      list = [trusted(idp)];
    }
  });

  test('a dead JWKS or discovery endpoint → unavailable', async () => {
    const dead = await startIssuer();
    await dead.addKey('RS256', 'dead-1');
    const token = await dead.sign(claims);
    await dead.close();
    list = [trusted(idp), trusted(dead, { id: 'dead' })];
    try {
      const check = await verifier.verify(token);
      assert.equal(check.status, 'unavailable', JSON.stringify(check));
      list = [trusted(idp), trusted(dead, { id: 'dead', jwksUri: `${dead.url}/jwks`, updatedAt: new Date(3) })];
      assert.equal((await verifier.verify(token)).status, 'unavailable');
    } finally {
      list = [trusted(idp)];
    }
  });
});
