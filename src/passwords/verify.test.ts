// Dispatch by prefix. Vectors from slappasswd (OpenLDAP 2.5), openssl passwd, python3 crypt/hashlib.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashArgon2id, OWASP_ARGON2ID } from './argon2id.js';
import { MalformedHashError, UnsupportedHashError } from './errors.js';
import { parseStoredHash } from './verify.js';

const CHEAP = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
const ARGON2I_SLAPPASSWD = '$argon2i$v=19$m=4096,t=3,p=1$67/2bpFEs8Xqu+zv6MLX5A$UQ5dglnFvLxi44yP+wK9HEaNsW8Svp5YUvFWC9edJ3A';

// [stored, scheme reported, password]
const CASES: Array<[string, string, string]> = [
  ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'bcrypt', 'U*U'], // crypt_blowfish test vector
  ['$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a', 'bcrypt', 'secret'],
  ['$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a', 'bcrypt', 'secret'],
  ['$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1', 'sha512-crypt', 'secret'],
  ['$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA', 'sha256-crypt', 'secret'],
  ['$1$saltsalt$9xy1btjgzLYfb7hivXtC//', 'md5-crypt', 'secret'],
  ['$apr1$saltsalt$LrttParrLPdxvgutaSXWJ0', 'apr1-md5', 'secret'],
  ['{SSHA}4spEgrOpAuCt/BZNr5IVM/OxTuzotFWZ', '{SSHA}', 'secret'],
  ['{ssha}4spEgrOpAuCt/BZNr5IVM/OxTuzotFWZ', '{SSHA}', 'secret'],
  ['{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=', '{SHA}', 'secret'],
  ['{Ssha256}gtyJOXRssejfHPNpnRJtvL0YuIl0U0s5v8/EFAjHIG0LioIDbtyrAw==', '{SSHA256}', 'secret'],
  ['{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=', '{SHA256}', 'secret'],
  ['{SSHA512}DW0Kq+ROZ1QxIwbEMgBURkYQXIubcDm+X9xtYtNUynhzLpEkw0bhQYtdKc+NsmzZH0ydQvOfw4Et/S19UYg7ljSDPfs8LjPm', '{SSHA512}', 'secret'],
  ['{sha512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==', '{SHA512}', 'secret'],
  ['{CRYPT}$6$1pvk1h/V$wJTMzYBf3N7ANpaJAEZz6D.sVpJUHZbhX7blkZLSGRrjoSijdkufrFiETqAFPhfDEbbkbLtFD/BQb7/CxKYAm.', 'sha512-crypt', 'secret'],
  ['{crypt}$5$Iu3y4QFq5Q7fghY5$vf6k8cQ9peRE1d.kRL472.Bb7lOixeGiK/N3jCJh7N0', 'sha256-crypt', 'secret'],
  ['{CRYPT}$1$og83lSa6$w/KudalTJ3ChETaKQvaA8/', 'md5-crypt', 'secret'],
  ['{CRYPT}$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a', 'bcrypt', 'secret'],
  [`{ARGON2}${ARGON2I_SLAPPASSWD}`, '{ARGON2}argon2i', 'secret'],
  [ARGON2I_SLAPPASSWD, 'argon2i', 'secret'],
  ['$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q', 'pbkdf2-sha256', 'passwordPASSWORDpassword'],
  ['$pbkdf2-sha512$25000$yMnKy8zNzs/Q0dLT1NXW1w$1vX1Oi45i.SopQXdnsZUHVco6il/ltjhAud7AOHpMyC58E0WyaPk79VxmtGSQIt9oNPJT3VQMFTvQzura.8cSA', 'pbkdf2-sha512', 'secret'],
];

describe('parseStoredHash', () => {
  for (const [stored, scheme, password] of CASES) {
    it(`${scheme}: ${stored.slice(0, 24)}…`, async () => {
      const parsed = parseStoredHash(stored);
      assert.equal(parsed.scheme, scheme);
      assert.equal(await parsed.verify(password), true);
      assert.equal(await parsed.verify(password + ' '), false);
      assert.equal(await parsed.verify(''), false);
      assert.equal(parsed.needsRehash(OWASP_ARGON2ID), true, 'every legacy scheme is upgraded');
    });
  }

  it('argon2id at the configured cost needs no rehash; {ARGON2}-wrapped always does', async () => {
    const hash = await hashArgon2id('secret', CHEAP);
    const bare = parseStoredHash(hash);
    assert.equal(bare.scheme, 'argon2id');
    assert.equal(await bare.verify('secret'), true);
    assert.equal(bare.needsRehash(CHEAP), false);
    assert.equal(bare.needsRehash(OWASP_ARGON2ID), true);
    const wrapped = parseStoredHash(`{ARGON2}${hash}`);
    assert.equal(wrapped.scheme, '{ARGON2}argon2id');
    assert.equal(await wrapped.verify('secret'), true);
    assert.equal(await wrapped.verify('wrong'), false);
    assert.equal(wrapped.needsRehash(CHEAP), true);
  });

  it('reports DES crypt and other known families as unsupported', () => {
    const unsupported = [
      ['{CRYPT}gBhtmEmgU5Yj6', 'crypt-des'],
      ['{CRYPT}_J9..CCCCXBrJUJV154M', 'crypt-bsdi'],
      ['$y$j9T$F5Jx5fExrKuPp53xLKQ..1$GmcwIgvdUC9qLWcKCi6gklUa1dM3ziD43YxYNURLKy0', 'yescrypt'],
      ['{CRYPT}$2x$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a', 'bcrypt-2x'],
      ['{CLEARTEXT}secret', '{CLEARTEXT}'],
    ];
    for (const [stored = '', scheme] of unsupported) {
      assert.throws(() => parseStoredHash(stored), (e: unknown) => e instanceof UnsupportedHashError && e.scheme === scheme, stored);
    }
    assert.throws(() => parseStoredHash('{CRYPT}gBhtmEmgU5Yj6'), /DES crypt is not supported/);
  });

  it('rejects malformed values without echoing them', () => {
    for (const stored of ['', 'plaintext', '$6$salt$x', '{SSHA}***', '{ARGON2}notargon', '{CRYPT}$argon2id$v=19$m=1,t=1,p=1$a$b', 'gBhtmEmgU5Yj6']) {
      assert.throws(
        () => parseStoredHash(stored),
        (e: unknown) => e instanceof MalformedHashError && (stored.length < 4 || !e.message.includes(stored)),
        stored,
      );
    }
  });
});

it('verifies {ARGON2} hashes written by slapd, with trailing NUL bytes', async () => {
  const { hash } = await import('@node-rs/argon2');
  const argon2i = 1; // Algorithm.Argon2i, a const enum that verbatimModuleSyntax cannot import
  const inner = await hash('slapd-pw', { algorithm: argon2i, memoryCost: 8192, timeCost: 1, parallelism: 1 });
  assert.equal(await parseStoredHash(`{ARGON2}${inner}\0\0`).verify('slapd-pw'), true);
  assert.equal(await parseStoredHash(`{ARGON2}${inner}\0\0`).verify('other-pw'), false);
});
