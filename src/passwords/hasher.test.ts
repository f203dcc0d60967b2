import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeArgon2 } from './argon2id.js';
import type { Argon2Backend } from './argon2id.js';
import { AbortedError, HashingBusyError, MalformedHashError, UnsupportedHashError } from './errors.js';
import { PasswordHasher } from './hasher.js';

const CHEAP = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
const SSHA = '{SSHA}4spEgrOpAuCt/BZNr5IVM/OxTuzotFWZ'; // "secret"

/** The real argon2 with call counters, to prove the dummy path does argon2 work. */
function countingArgon2() {
  const calls = { hash: 0, verify: 0, verified: [] as string[] };
  const backend: Argon2Backend = {
    hash: (pw, p) => { calls.hash++; return nodeArgon2.hash(pw, p); },
    verify: (encoded, pw) => { calls.verify++; calls.verified.push(encoded); return nodeArgon2.verify(encoded, pw); },
  };
  return { backend, calls };
}

describe('PasswordHasher', () => {
  it('hashes argon2id with its params and verifies without a rehash', async () => {
    const hasher = await PasswordHasher.create({ params: CHEAP });
    const hash = await hasher.hash('correct horse');
    assert.match(hash, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    assert.deepEqual(await hasher.verify(hash, 'correct horse'), { ok: true, needsRehash: false, scheme: 'argon2id' });
    assert.deepEqual(await hasher.verify(hash, 'wrong horse'), { ok: false, needsRehash: false, scheme: 'argon2id' });
  });

  it('asks for a rehash of weaker argon2 and of legacy schemes', async () => {
    const weak = await new PasswordHasher({ params: CHEAP }).hash('pw');
    const stronger = await PasswordHasher.create({ params: { ...CHEAP, iterations: 2 } });
    assert.deepEqual(await stronger.verify(weak, 'pw'), { ok: true, needsRehash: true, scheme: 'argon2id' });
    assert.deepEqual(await stronger.verify(SSHA, 'secret'), { ok: true, needsRehash: true, scheme: '{SSHA}' });
    assert.equal((await stronger.verify(SSHA, 'Secret')).ok, false);
  });

  it('spends a real argon2 verification on unknown users and returns ok:false', async () => {
    const { backend, calls } = countingArgon2();
    const hasher = await PasswordHasher.create({ params: CHEAP, argon2: backend });
    assert.equal(calls.hash, 1, 'dummy hash computed once at start-up');
    const dummy = calls.verified;

    assert.deepEqual(await hasher.verify(null, 'anything'), { ok: false, needsRehash: false, scheme: 'none' });
    assert.equal(calls.verify, 1);
    assert.match(dummy[0] ?? '', /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/, 'the dummy uses the configured params');

    await hasher.verify(null, 'again');
    assert.equal(calls.hash, 1, 'the dummy is not recomputed');
    assert.equal(calls.verify, 2);
  });

  it('treats malformed and unsupported hashes like unknown users, reporting why', async () => {
    const { backend, calls } = countingArgon2();
    const hasher = await PasswordHasher.create({ params: CHEAP, argon2: backend });
    const malformed = await hasher.verify('not a hash', 'hunter2');
    assert.equal(malformed.ok, false);
    assert.ok(malformed.error instanceof MalformedHashError);
    const des = await hasher.verify('{CRYPT}gBhtmEmgU5Yj6', 'hunter2');
    assert.deepEqual([des.ok, des.scheme], [false, 'crypt-des']);
    assert.ok(des.error instanceof UnsupportedHashError);
    assert.equal(calls.verify, 2);
    assert.ok(!JSON.stringify([malformed, des, des.error.message]).includes('hunter2'), 'never echoes the password');
  });

  it('treats a hash the library rejects as malformed', async () => {
    const failing: Argon2Backend = { hash: nodeArgon2.hash, verify: async (encoded) => {
      if (encoded.includes('m=4096')) throw new Error('Decoding failed');
      return false;
    } };
    const hasher = await PasswordHasher.create({ params: CHEAP, argon2: failing });
    const result = await hasher.verify('$argon2id$v=19$m=4096,t=3,p=1$YQ$YQ', 'pw');
    assert.equal(result.ok, false);
    assert.ok(result.error instanceof MalformedHashError);
  });

  it('goes through admission: busy and aborted are typed rejections', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const slow: Argon2Backend = {
      hash: nodeArgon2.hash,
      verify: async () => { await blocked; return false; },
    };
    const hasher = await PasswordHasher.create({ params: CHEAP, argon2: slow, admission: { maxRunning: 1, maxQueued: 1 } });
    const running = hasher.verify(null, 'a');
    const controller = new AbortController();
    const waiting = hasher.verify(null, 'b', { signal: controller.signal });
    await assert.rejects(hasher.verify(null, 'c'), HashingBusyError);
    await assert.rejects(hasher.hash('d'), HashingBusyError);
    controller.abort();
    await assert.rejects(waiting, AbortedError);
    release();
    assert.equal((await running).ok, false);
    assert.deepEqual(hasher.admission.stats(), { running: 0, queued: 0, rejected: 2, aborted: 1, completed: 1 });
  });

  it('rejects bad params at construction', () => {
    assert.throws(() => new PasswordHasher({ params: { ...CHEAP, memoryKiB: 0 } }), /memoryKiB/);
  });
});
