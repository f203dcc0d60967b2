import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, seedAlice, TEST_ACTOR, type TestApp } from '../../test/support/test-app.js';
import type { Attempt } from './attempt.js';
import type { AttemptOutcome, Guard, GuardVerdict } from './ports.js';

/** A guard that records what the pipeline tells it and answers what the test says. */
class RecordingGuard implements Guard {
  verdict: GuardVerdict = { action: 'allow' };
  outcomes: AttemptOutcome[] = [];
  async precheck(): Promise<GuardVerdict> {
    return this.verdict;
  }
  async record(_attempt: Attempt, outcome: AttemptOutcome): Promise<void> {
    this.outcomes.push(outcome);
  }
}

function attempt(login: string, secret: string | null, extra: Partial<Attempt> = {}): Attempt {
  return { login, secret, mode: 'authenticate', protocol: 'imap', clientIp: '192.0.2.1', relayIp: null, tls: true, frontEnd: 'test', ...extra };
}

describe('decision pipeline', () => {
  let app: TestApp;
  const guard = new RecordingGuard();

  before(async () => {
    app = await createTestApp({}, { guard });
    await seedAlice(app);
  });
  after(() => app.close());

  test('the right password is accepted with the account attributes, by login, mail or alias', async () => {
    for (const login of ['alice', 'alice@example.org', 'A@Example.org']) {
      const decision = await app.pipeline.decide(attempt(login, 'alice-password-1'));
      assert.ok(decision.ok, `login ${login}`);
      assert.equal(decision.account.uid, 'alice');
      assert.equal(decision.account.mail, 'alice@example.org');
      assert.deepEqual(decision.account.aliases, ['a@example.org']);
    }
  });

  test('a wrong password is refused, counted, and fingerprinted without the secret', async () => {
    guard.outcomes = [];
    const decision = await app.pipeline.decide(attempt('alice', 'wrong-password'));
    assert.equal(decision.ok, false);
    assert.equal(!decision.ok && decision.reason, 'invalid-credentials');
    const outcome = guard.outcomes[0];
    assert.ok(outcome?.counted);
    assert.ok(outcome.secretFingerprint && !outcome.secretFingerprint.includes('wrong'));
    const again = await app.pipeline.decide(attempt('alice', 'wrong-password'));
    assert.equal(!again.ok && guard.outcomes[1]?.secretFingerprint, outcome.secretFingerprint, 'same wrong password, same fingerprint');
  });

  test('an empty password never authenticates and is not counted as a guess', async () => {
    guard.outcomes = [];
    const decision = await app.pipeline.decide(attempt('alice', ''));
    assert.equal(!decision.ok && decision.reason, 'empty-password');
    assert.equal(guard.outcomes.length, 0);
  });

  test('an unknown login is refused like a wrong password', async () => {
    const decision = await app.pipeline.decide(attempt('nobody@example.org', 'whatever-1'));
    assert.equal(!decision.ok && decision.reason, 'invalid-credentials');
  });

  test('a guard refusal stops before any credential check', async () => {
    guard.verdict = { action: 'refuse', reason: 'banned', rule: 'ip-bruteforce', retryAfterSeconds: 60 };
    try {
      const decision = await app.pipeline.decide(attempt('alice', 'alice-password-1'));
      assert.equal(decision.ok, false);
      assert.equal(!decision.ok && decision.rule, 'ip-bruteforce');
      assert.equal(!decision.ok && decision.retryAfterSeconds, 60);
    } finally {
      guard.verdict = { action: 'allow' };
    }
  });

  test('a guard delay is passed on, and the right password still succeeds', async () => {
    guard.verdict = { action: 'delay', seconds: 4, rule: 'account-under-attack' };
    try {
      const decision = await app.pipeline.decide(attempt('alice', 'alice-password-1'));
      assert.ok(decision.ok);
      assert.equal(decision.delaySeconds, 4);
    } finally {
      guard.verdict = { action: 'allow' };
    }
  });

  test('a repeated success comes from the cache, and a password change invalidates it at once', async () => {
    await app.identity.addUser({ mail: 'carol@example.org', password: 'carol-password-1' }, TEST_ACTOR);
    const first = await app.pipeline.decide(attempt('carol', 'carol-password-1'));
    const second = await app.pipeline.decide(attempt('carol', 'carol-password-1'));
    assert.ok(first.ok && !first.cached);
    assert.ok(second.ok && second.cached);
    await app.identity.setPassword('carol', 'carol-password-2', TEST_ACTOR);
    const old = await app.pipeline.decide(attempt('carol', 'carol-password-1'));
    assert.equal(old.ok, false, 'the old password must stop working at once');
    assert.ok((await app.pipeline.decide(attempt('carol', 'carol-password-2'))).ok);
  });

  test('disabling a user refuses even a cached credential', async () => {
    await app.identity.addUser({ mail: 'dave@example.org', password: 'dave-password-1' }, TEST_ACTOR);
    assert.ok((await app.pipeline.decide(attempt('dave', 'dave-password-1'))).ok);
    await app.identity.setEnabled('dave', false, TEST_ACTOR);
    const decision = await app.pipeline.decide(attempt('dave', 'dave-password-1'));
    assert.equal(!decision.ok && decision.reason, 'account-disabled');
  });

  test('app passwords honour scopes, expiry and revocation', async () => {
    const { appPassword, secret } = await app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['imap'] }, TEST_ACTOR);
    const ok = await app.pipeline.decide(attempt('alice', secret));
    assert.ok(ok.ok && ok.credential === 'app-password');
    assert.ok((await app.pipeline.decide(attempt('alice', secret.toUpperCase().replace(/-/g, ' ')))).ok, 'typing is forgiving');
    const smtp = await app.pipeline.decide(attempt('alice', secret, { protocol: 'smtp' }));
    assert.equal(!smtp.ok && smtp.reason, 'scope-not-allowed');
    await app.identity.revokeAppPassword('alice', appPassword.id, TEST_ACTOR);
    assert.equal((await app.pipeline.decide(attempt('alice', secret))).ok, false, 'revoked, even though it was cached');
  });

  test('app password last use is recorded', async () => {
    const { appPassword, secret } = await app.identity.createAppPassword('alice', { name: 'Laptop', scopes: ['imap', 'smtp'] }, TEST_ACTOR);
    assert.ok((await app.pipeline.decide(attempt('alice', secret, { protocol: 'smtp', clientIp: '198.51.100.7' }))).ok);
    for (let i = 0; i < 50; i++) {
      const stored = await app.store.getAppPassword(appPassword.id);
      if (stored?.lastUsedAt) {
        assert.equal(stored.lastUsedProtocol, 'smtp');
        assert.equal(stored.lastUsedIp, '198.51.100.7');
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail('last use was never recorded');
  });

  test('master-user logins need a service account with the impersonate role', async () => {
    await app.identity.addServiceAccount({ name: 'groupware', password: 'groupware-secret', roles: ['impersonate'] }, TEST_ACTOR);
    await app.identity.addServiceAccount({ name: 'reader', password: 'reader-secret-1', roles: ['directory-read'] }, TEST_ACTOR);
    const master = await app.pipeline.decide(attempt('alice%groupware', 'groupware-secret', { protocol: 'jmap' }));
    assert.ok(master.ok);
    assert.equal(master.account.uid, 'alice');
    assert.equal(master.impersonator, 'groupware');
    const notAllowed = await app.pipeline.decide(attempt('alice%reader', 'reader-secret-1'));
    assert.equal(notAllowed.ok, false);
    const wrong = await app.pipeline.decide(attempt('alice%groupware', 'alice-password-1'));
    assert.equal(wrong.ok, false, "the user's own password is not the master password");
  });

  test('service accounts log in only when the front end names them as such', async () => {
    const asService = await app.pipeline.decide(attempt('reader', 'reader-secret-1', { accountKind: 'service', protocol: 'ldap' }));
    assert.ok(asService.ok && asService.account.kind === 'service');
    const asUser = await app.pipeline.decide(attempt('reader', 'reader-secret-1'));
    assert.equal(asUser.ok, false);
  });

  test('a legacy hash is replaced by argon2id after the next successful login', async () => {
    // {SSHA} of "legacy-pass-1" with salt "salt": base64(sha1(password + salt) + salt)
    const { createHash } = await import('node:crypto');
    const salt = Buffer.from('salt');
    const digest = createHash('sha1').update('legacy-pass-1').update(salt).digest();
    const ssha = '{SSHA}' + Buffer.concat([digest, salt]).toString('base64');
    await app.identity.addUser({ mail: 'erin@example.org', passwordHash: ssha }, TEST_ACTOR);
    assert.ok((await app.pipeline.decide(attempt('erin', 'legacy-pass-1'))).ok);
    for (let i = 0; i < 100; i++) {
      const erin = await app.store.findUserByLogin('erin');
      if (erin?.passwordHash?.startsWith('$argon2id$')) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail('the {SSHA} hash was not upgraded');
  });

  test('lookups find enabled accounts without a secret', async () => {
    const found = await app.pipeline.decide({ ...attempt('alice@example.org', null), mode: 'lookup' });
    assert.ok(found.ok && found.credential === 'none');
    const missing = await app.pipeline.decide({ ...attempt('ghost', null), mode: 'lookup' });
    assert.equal(missing.ok, false);
  });
});

describe('decision pipeline under hashing overload', () => {
  let app: TestApp;
  const guard = new RecordingGuard();
  before(async () => {
    app = await createTestApp({ passwords: { maxConcurrent: 1, maxQueued: 0 }, auth: { cacheTtlSeconds: 0 } }, { guard });
    await seedAlice(app);
  });
  after(() => app.close());

  test('known and unknown logins alike are answered busy, and nothing is counted as a guess', async () => {
    const logins = ['alice', 'nobody@example.org', 'alice', 'ghost', 'alice', 'nobody@example.org'];
    const decisions = await Promise.all(logins.map((login) => app.pipeline.decide(attempt(login, 'some-guess-1'))));
    const busy = decisions.map((d, i) => [logins[i], !d.ok && d.reason === 'busy'] as const).filter(([, b]) => b);
    assert.ok(busy.length >= logins.length - 1, 'all but the one admitted check are refused as busy');
    assert.ok(busy.some(([login]) => login === 'alice') && busy.some(([login]) => login !== 'alice'), 'known and unknown logins both see busy');
    const counted = guard.outcomes.filter((o) => o.counted);
    assert.ok(counted.length <= 1, 'busy answers are not counted as wrong guesses');
  });
});
