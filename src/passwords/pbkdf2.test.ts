import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedHashError } from './errors.js';
import { parsePbkdf2, verifyPbkdf2 } from './pbkdf2.js';

const VECTORS: Array<[string, string, string]> = [
  // RustCrypto pbkdf2's own test vector (PHC string, RFC 6070-style inputs).
  ['PHC (RustCrypto)', 'passwordPASSWORDpassword',
    '$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q'],
  // The rest computed with python3 hashlib.pbkdf2_hmac over bytes 200..215 as salt.
  ['PHC sha512', 'secret',
    '$pbkdf2-sha512$i=1000,l=64$yMnKy8zNzs/Q0dLT1NXW1w$IOcMTb4yMjXIfLQ9oJNqi+oS7F9R5/VFihpi6siTs/PhpnWX1Q6ypMZeasmz95udsZKnRI95aOzCcYH9kosjWA'],
  ['passlib sha512', 'secret',
    '$pbkdf2-sha512$25000$yMnKy8zNzs/Q0dLT1NXW1w$1vX1Oi45i.SopQXdnsZUHVco6il/ltjhAud7AOHpMyC58E0WyaPk79VxmtGSQIt9oNPJT3VQMFTvQzura.8cSA'],
  ['passlib sha1', 'secret', '$pbkdf2$1000$yMnKy8zNzs/Q0dLT1NXW1w$hW5TrKAxwUv7/I/g5GAQ3AHaC3w'],
];

describe('pbkdf2', () => {
  for (const [name, password, hash] of VECTORS) {
    it(`verifies ${name}`, async () => {
      const parsed = parsePbkdf2(hash);
      assert.equal(await verifyPbkdf2(parsed, password), true);
      assert.equal(await verifyPbkdf2(parsed, password.toUpperCase()), false);
    });
  }

  it('reads both dialects', () => {
    const phc = parsePbkdf2(VECTORS[1]![2]);
    assert.deepEqual([phc.scheme, phc.digest, phc.iterations, phc.hash.length], ['pbkdf2-sha512', 'sha512', 1000, 64]);
    const passlib = parsePbkdf2(VECTORS[2]![2]);
    assert.deepEqual([passlib.iterations, passlib.salt.length], [25000, 16]);
  });

  it('rejects malformed strings', () => {
    for (const bad of [
      '$pbkdf2-sha256$i=0$c2FsdA$aGFzaA',
      '$pbkdf2-sha256$l=4$c2FsdA$aGFzaA',
      '$pbkdf2-sha256$i=10,l=5$c2FsdA$aGFzaA',
      '$pbkdf2-sha256$10$c2Fs+dA$aGFzaA',
      '$pbkdf2-md5$10$c2FsdA$aGFzaA',
    ]) {
      assert.throws(() => parsePbkdf2(bad), MalformedHashError, bad);
    }
  });
});
