import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashArgon2id, needsRehash, OWASP_ARGON2ID, readArgon2, validateArgon2Params } from './argon2id.js';
import { MalformedHashError } from './errors.js';
import { verifyStoredHash } from './verify.js';

const CHEAP = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

describe('argon2id', () => {
  it('defaults to the OWASP recommendation', () => {
    assert.deepEqual({ ...OWASP_ARGON2ID }, { memoryKiB: 19456, iterations: 2, parallelism: 1 });
  });

  it('hashes with the given parameters as argon2id v19', async () => {
    const hash = await hashArgon2id('secret', { memoryKiB: 2048, iterations: 3, parallelism: 2 });
    assert.match(hash, /^\$argon2id\$v=19\$m=2048,t=3,p=2\$/);
    assert.deepEqual(readArgon2(hash), { variant: 'argon2id', version: 19, memoryKiB: 2048, iterations: 3, parallelism: 2 });
    assert.equal(await verifyStoredHash(hash, 'secret'), true);
    assert.equal(await verifyStoredHash(hash, 'secreT'), false);
  });

  it('flags hashes weaker than the configuration, not stronger ones', () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
    const phc = (s: string) => `$${s}$${salt}`;
    const p = { memoryKiB: 19456, iterations: 2, parallelism: 1 };
    assert.equal(needsRehash(phc('argon2id$v=19$m=19456,t=2,p=1'), p), false);
    assert.equal(needsRehash(phc('argon2id$v=19$m=65536,t=3,p=4'), p), false);
    assert.equal(needsRehash(phc('argon2id$v=19$m=4096,t=2,p=1'), p), true);
    assert.equal(needsRehash(phc('argon2id$v=19$m=19456,t=1,p=1'), p), true);
    assert.equal(needsRehash(phc('argon2id$v=19$m=19456,t=2,p=1'), { ...p, parallelism: 2 }), true);
    assert.equal(needsRehash(phc('argon2i$v=19$m=65536,t=4,p=1'), p), true);
    assert.equal(needsRehash(phc('argon2id$m=19456,t=2,p=1'), p), true, 'argon2 1.0 (no v=) is outdated');
    assert.equal(needsRehash('garbage', p), true);
  });

  it('reads argon2 strings and rejects others', () => {
    assert.equal(readArgon2('$argon2i$v=19$m=4096,t=3,p=1$67/2bpFEs8Xqu+zv6MLX5A$UQ5dglnFvLxi44yP+wK9HEaNsW8Svp5YUvFWC9edJ3A').variant, 'argon2i');
    assert.throws(() => readArgon2('$argon2x$v=19$m=1,t=1,p=1$a$b'), MalformedHashError);
    assert.throws(() => readArgon2('$argon2id$v=19$m=1,t=1$a$b'), MalformedHashError);
  });

  it('validates parameters, naming the option', () => {
    assert.deepEqual(validateArgon2Params(CHEAP), CHEAP);
    assert.throws(() => validateArgon2Params({ ...CHEAP, iterations: 0 }), /iterations/);
    assert.throws(() => validateArgon2Params({ ...CHEAP, memoryKiB: 8, parallelism: 2 }), /memoryKiB/);
    assert.throws(() => validateArgon2Params({ ...CHEAP, parallelism: 1.5 }), /parallelism/);
  });
});
