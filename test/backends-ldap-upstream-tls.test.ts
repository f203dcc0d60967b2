/**
 * The upstream LDAP backend over TLS against a real slapd with a self-signed certificate: StartTLS
 * on ldap:// and implicit TLS on ldaps://, trusting it through tls.caFile. A certificate signed by
 * another CA is a temporary failure (the upstream cannot be asked), never a wrong password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConfigInput } from '../src/config/schema.js';
import type { Attempt } from '../src/pipeline/attempt.js';
import { makeSelfSignedCert } from './peers/certs.js';
import { makeTempDir, removeTempDir, skipUnless } from './peers/common.js';
import type { Slapd } from './peers/slapd.js';
import { startCorpSlapd } from './support/upstream-ldap.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const skip = skipUnless('slapd', 'ldap-utils', 'openssl');

type LdapUpstreamInput = Extract<NonNullable<NonNullable<ConfigInput['backends']>['upstreams']>[number], { type: 'ldap' }>;

const attempt = (login: string, secret: string): Attempt => ({
  login, secret, mode: 'authenticate', protocol: 'imap', clientIp: '198.51.100.20', relayIp: null, tls: true, frontEnd: 'test',
});

describe('upstream LDAP over TLS', { skip }, () => {
  let corp: Slapd;
  let otherDir: string;
  let otherCa: string;
  const apps: TestApp[] = [];

  before(async () => {
    corp = await startCorpSlapd({ tls: true });
    otherDir = await makeTempDir('other-ca');
    otherCa = (await makeSelfSignedCert(otherDir, 'other')).certFile;
  });

  after(async () => {
    for (const app of apps) await app.close();
    await corp?.stop();
    if (otherDir) await removeTempDir(otherDir);
  });

  /** An app whose only upstream is corp, reached as `connection` says; logins without a domain go to it. */
  async function appWith(connection: Pick<LdapUpstreamInput, 'url' | 'startTls' | 'tls'>): Promise<TestApp> {
    const app = await createTestApp({
      backends: {
        order: ['local', 'corp'],
        upstreams: [
          {
            name: 'corp', type: 'ldap', bindDn: corp.rootDn, bindPassword: corp.rootPw, baseDn: 'dc=corp,dc=example',
            cacheSeconds: 0, timeoutMs: 2000, ...connection,
          },
        ],
      },
    });
    apps.push(app);
    return app;
  }

  const outcome = async (app: TestApp, password: string): Promise<string> => {
    const decision = await app.pipeline.decide(attempt('dave', password));
    return decision.ok ? `ok:${decision.account.backend}` : decision.reason;
  };

  test('the harness serves ldap:// and ldaps:// with its own certificate', () => {
    assert.match(corp.ldapsUrl ?? '', /^ldaps:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(corp.caFile);
  });

  test('StartTLS with the CA file: the right password logs in, a wrong one is refused', async () => {
    const app = await appWith({ url: corp.url, startTls: true, tls: { caFile: corp.caFile ?? '' } });
    assert.equal(await outcome(app, 'dave-password-1'), 'ok:corp');
    assert.equal(await outcome(app, 'not-daves'), 'invalid-credentials');
    assert.equal((await app.backends.findByAddress('d.corp@corp.example'))?.uid, 'dave');
  });

  test('LDAPS with the CA file: the right password logs in, a wrong one is refused', async () => {
    const app = await appWith({ url: corp.ldapsUrl ?? '', tls: { caFile: corp.caFile ?? '' } });
    assert.equal(await outcome(app, 'dave-password-1'), 'ok:corp');
    assert.equal(await outcome(app, 'not-daves'), 'invalid-credentials');
  });

  test('a certificate from another CA is a temporary failure, never a wrong password', async () => {
    for (const connection of [
      { url: corp.url, startTls: true, tls: { caFile: otherCa } },
      { url: corp.ldapsUrl ?? '', tls: { caFile: otherCa } },
    ]) {
      const app = await appWith(connection);
      assert.equal(await outcome(app, 'dave-password-1'), 'temporary-failure', connection.url);
      assert.equal(await outcome(app, 'not-daves'), 'temporary-failure', connection.url);
      await assert.rejects(app.backends.lookup('dave'), /unavailable/);
      const refused = await app.pipeline.decide(attempt('dave', 'dave-password-1'));
      assert.match(!refused.ok ? (refused.detail ?? '') : '', /certificate/i, 'the certificate check failed, not the connection');
    }
  });
});
