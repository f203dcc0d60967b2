/**
 * Upstream LDAP against real OpenLDAP servers: one tree shaped like OpenCloud's IDM (bind-DN
 * template, openCloudUUID, openCloudUserEnabled, {ARGON2} passwords) and one plain inetOrgPerson
 * directory (search-then-bind, groups by search, routed by domain). Logins go through the pipeline
 * and the HTTP API; passwords change upstream; app passwords; slapd going away and coming back.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Client, InvalidCredentialsError } from 'ldapts';
import { startLdapServer } from '../src/frontends/ldap/server.js';
import { buildHttpServer } from '../src/frontends/http/server.js';
import type { Attempt } from '../src/pipeline/attempt.js';
import type { AttemptOutcome, Guard, GuardVerdict } from '../src/pipeline/ports.js';
import { freePort, skipUnless } from './peers/common.js';
import type { Slapd } from './peers/slapd.js';
import { EINSTEIN_UUID, upstreamBackends, Relay, startCorpSlapd, startIdmSlapd } from './support/upstream-ldap.js';
import { createTestApp, seedAlice, TEST_ACTOR, type TestApp } from './support/test-app.js';

const skip = skipUnless('slapd', 'ldap-utils', 'slapd-argon2');

/** Records what the pipeline tells the guard; allows everything. */
class RecordingGuard implements Guard {
  outcomes: AttemptOutcome[] = [];
  async precheck(): Promise<GuardVerdict> {
    return { action: 'allow' };
  }
  async record(_attempt: Attempt, outcome: AttemptOutcome): Promise<void> {
    this.outcomes.push(outcome);
  }
}

const attempt = (login: string, secret: string, extra: Partial<Attempt> = {}): Attempt => ({
  login, secret, mode: 'authenticate', protocol: 'imap', clientIp: '198.51.100.7', relayIp: null, tls: true, frontEnd: 'test', ...extra,
});

describe('upstream LDAP', { skip }, () => {
  let idm: Slapd;
  let corp: Slapd;
  let relay: Relay;
  let app: TestApp;
  let http: FastifyInstance;
  const guard = new RecordingGuard();

  before(async () => {
    idm = await startIdmSlapd();
    corp = await startCorpSlapd();
    relay = new Relay(await freePort(), corp.port);
    await relay.start();

    app = await createTestApp(
      {
        ldap: { listen: { host: '127.0.0.1', port: 0 }, baseDn: 'dc=portcullis,dc=test' },
        backends: upstreamBackends(idm, corp, `ldap://127.0.0.1:${relay.port}`, 0),
      },
      { guard },
    );
    await seedAlice(app);
    http = await buildHttpServer(app);
  });

  after(async () => {
    await http?.close();
    await app?.close();
    await relay?.stop();
    await idm?.stop();
    await corp?.stop();
  });

  test('OpenCloud IDM users log in with their upstream password; local users still work', async () => {
    const ok = await app.pipeline.decide(attempt('einstein', 'relativity-1905'));
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.deepEqual(ok.ok && { ...ok.account }, {
      kind: 'user', id: EINSTEIN_UUID, uid: 'einstein', mail: 'einstein@example.org', aliases: [], displayName: 'Albert Einstein', groups: ['physics'], roles: [], backend: 'idm',
    });
    const wrong = await app.pipeline.decide(attempt('einstein', 'newtonian'));
    assert.equal(!wrong.ok && wrong.reason, 'invalid-credentials');
    const disabled = await app.pipeline.decide(attempt('marie', 'radium-1898'));
    assert.equal(!disabled.ok && disabled.reason, 'account-disabled');
    const alice = await app.pipeline.decide(attempt('alice', 'alice-password-1'));
    assert.equal(alice.ok && alice.account.backend, 'local');
    const injection = await app.pipeline.decide(attempt('einstein,ou=users', 'relativity-1905'));
    assert.equal(injection.ok, false);
  });

  test('wrong upstream passwords are counted by the guard; a repeated success comes from the cache', async () => {
    guard.outcomes = [];
    await app.pipeline.decide(attempt('einstein', 'guess-1'));
    assert.deepEqual(guard.outcomes.map((o) => [o.success, o.counted, o.secretFingerprint !== null]), [[false, true, true]]);
    const first = await app.pipeline.decide(attempt('einstein', 'relativity-1905', { clientIp: '198.51.100.8' }));
    const again = await app.pipeline.decide(attempt('einstein', 'relativity-1905', { clientIp: '198.51.100.8' }));
    assert.equal(first.ok && again.ok && again.cached, true);
  });

  test('the plain directory serves its domain by route, with groups and aliases', async () => {
    const ok = await app.pipeline.decide(attempt('dave@corp.example', 'dave-password-1'));
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.equal(ok.ok && ok.account.backend, 'corp');
    assert.deepEqual(ok.ok && [ok.account.groups, ok.account.aliases], [['sales'], ['d.corp@corp.example']]);
    // Without a domain, the default order (local, idm) applies: corp is not asked.
    const bare = await app.pipeline.decide(attempt('dave', 'dave-password-1'));
    assert.equal(!bare.ok && bare.reason, 'invalid-credentials');
    // Look-ups for the directory view go through the same routes.
    assert.equal((await app.backends.findByAddress('d.corp@corp.example'))?.uid, 'dave');
    assert.equal((await app.backends.lookup('einstein'))?.id, EINSTEIN_UUID);
    assert.equal(await app.backends.lookup('marie'), null, 'disabled accounts are not served');
    const listed = await app.backends.search({ query: 'ein', limit: 10 });
    assert.deepEqual(listed.map((a) => a.uid), ['einstein']);
  });

  test('the HTTP API answers for upstream users', async () => {
    const res = await http.inject({ method: 'POST', url: '/api/v1/auth/json', payload: { username: 'einstein', password: 'relativity-1905', protocol: 'imap', client_ip: '198.51.100.9' } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { attributes: Record<string, string[]> };
    assert.deepEqual(body.attributes.entryUUID, [EINSTEIN_UUID]);
    assert.deepEqual(body.attributes.memberOf, ['physics']);
    const bad = await http.inject({ method: 'POST', url: '/api/v1/auth/json', payload: { username: 'dave@corp.example', password: 'nope', protocol: 'imap', client_ip: '198.51.100.9' } });
    assert.equal(bad.statusCode, 403);
  });

  test('Portcullis\'s own LDAP server binds upstream users with their upstream password', async () => {
    const server = await startLdapServer(app);
    assert.ok(server);
    const bind = async (dn: string, password: string) => {
      const client = new Client({ url: `ldap://127.0.0.1:${server.port}`, timeout: 5000 });
      try {
        await client.bind(dn, password);
        return 'ok';
      } catch (err) {
        return err instanceof InvalidCredentialsError ? 'invalid' : String(err);
      } finally {
        await client.unbind().catch(() => undefined);
      }
    };
    assert.equal(await bind('uid=einstein,ou=users,dc=portcullis,dc=test', 'relativity-1905'), 'ok');
    assert.equal(await bind('dave@corp.example', 'dave-password-1'), 'ok');
    assert.equal(await bind('uid=einstein,ou=users,dc=portcullis,dc=test', 'wrong'), 'invalid');
  });

  test('a password changed upstream takes effect at once, also over a cached verification', async () => {
    assert.equal((await app.pipeline.decide(attempt('einstein', 'relativity-1905'))).ok, true);
    await idm.ldapModify('dn: uid=einstein,ou=users,o=libregraph-idm\nchangetype: modify\nreplace: userPassword\nuserPassword: general-1915\n');
    const old = await app.pipeline.decide(attempt('einstein', 'relativity-1905'));
    assert.equal(!old.ok && old.reason, 'invalid-credentials', 'the cached verification of the old password was dropped (entryCSN changed)');
    assert.equal((await app.pipeline.decide(attempt('einstein', 'general-1915'))).ok, true);
    await corp.ldapModify('dn: uid=dave,ou=people,dc=corp,dc=example\nchangetype: modify\nreplace: userPassword\nuserPassword: dave-password-2\n');
    assert.equal((await app.pipeline.decide(attempt('dave@corp.example', 'dave-password-2'))).ok, true);
  });

  test('an upstream user gets an app password in Portcullis and uses it', async () => {
    // The first upstream login created the shadow record the app password hangs on.
    const shadow = await app.identity.findUser('einstein');
    assert.equal(shadow?.id, EINSTEIN_UUID);
    assert.match(shadow?.passwordHash ?? '', /^\{UPSTREAM\}idm$/);
    const { secret } = await app.identity.createAppPassword('einstein', { name: 'Thunderbird', scopes: ['imap'] }, TEST_ACTOR);
    const ok = await app.pipeline.decide(attempt('einstein', secret));
    assert.deepEqual(ok.ok && [ok.credential, ok.account.backend, ok.account.groups], ['app-password', 'idm', ['physics']]);
    const res = await http.inject({ method: 'POST', url: '/api/v1/auth/json', payload: { username: 'einstein@example.org', password: secret, protocol: 'imap', client_ip: '198.51.100.9' } });
    assert.equal(res.statusCode, 200, res.body);
    const byMail = await app.pipeline.decide(attempt('einstein@example.org', secret, { clientIp: '198.51.100.12' }));
    const byMailAgain = await app.pipeline.decide(attempt('einstein@example.org', secret, { clientIp: '198.51.100.12' }));
    assert.equal(byMail.ok && byMailAgain.ok && byMailAgain.cached, true, 'revalidated through the shadow login');
    const scope = await app.pipeline.decide(attempt('einstein', secret, { protocol: 'smtp' }));
    assert.equal(!scope.ok && scope.reason, 'scope-not-allowed');
    // The primary password is never checked locally for a shadow record.
    const local = await app.pipeline.decide(attempt('einstein', 'general-1915', { clientIp: '198.51.100.10' }));
    assert.equal(local.ok && local.account.backend, 'idm');
    // Disabled upstream: the app password stops working too.
    await idm.ldapModify('dn: uid=einstein,ou=users,o=libregraph-idm\nchangetype: modify\nreplace: openCloudUserEnabled\nopenCloudUserEnabled: FALSE\n');
    const gone = await app.pipeline.decide(attempt('einstein', secret));
    assert.equal(gone.ok, false);
    await idm.ldapModify('dn: uid=einstein,ou=users,o=libregraph-idm\nchangetype: modify\nreplace: openCloudUserEnabled\nopenCloudUserEnabled: TRUE\n');
  });

  test('slapd away: temporary failure, not counted; the circuit opens; back: it closes', async () => {
    const state = async () => /portcullis_backend_state\{backend="corp"\} (\d)/.exec(await app.metrics.registry.metrics())?.[1];
    assert.equal(await state(), '0');
    await relay.stop();
    guard.outcomes = [];
    for (const i of [1, 2]) {
      const down = await app.pipeline.decide(attempt('dave@corp.example', `dave-password-${i}x`));
      assert.equal(!down.ok && down.reason, 'temporary-failure');
    }
    assert.ok(guard.outcomes.every((o) => !o.counted && o.secretFingerprint === null), 'never counted as a wrong password');
    assert.equal(await state(), '2');
    const fast = await app.pipeline.decide(attempt('dave@corp.example', 'dave-password-2'));
    assert.match(!fast.ok ? fast.detail ?? '' : '', /circuit open/);
    // Other backends are not affected.
    assert.equal((await app.pipeline.decide(attempt('alice', 'alice-password-1'))).ok, true);
    await relay.start();
    await sleep(1100);
    const back = await app.pipeline.decide(attempt('dave@corp.example', 'dave-password-2', { clientIp: '198.51.100.11' }));
    assert.equal(back.ok, true, JSON.stringify(back));
    assert.equal(await state(), '0');
    assert.match(await app.metrics.registry.metrics(), /portcullis_backend_failures_total\{backend="corp",kind="circuit-open"\} [1-9]/);
  });
});
