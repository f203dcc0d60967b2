/**
 * Passwords: argon2id hashing, verification of imported legacy hashes, rehash hints,
 * bounded admission for hashing work, and application-password generation.
 * Depends on nothing else in Portcullis.
 *
 * @example
 * const hasher = await PasswordHasher.create({ params: OWASP_ARGON2ID, admission: { maxRunning: 4, maxQueued: 32 } });
 * const { ok, needsRehash } = await hasher.verify(user?.passwordHash ?? null, typed, { signal });
 * if (ok && needsRehash) await store.setPasswordHash(user.id, await hasher.hash(typed));
 *
 * Supported stored formats: `$argon2id$`/`$argon2i$`/`$argon2d$`, `{ARGON2}$argon2…`,
 * bcrypt `$2a$/$2b$/$2y$`, `$6$`, `$5$`, `$1$`, `$apr1$`, `{CRYPT}` + one of those crypt(3)
 * strings, `{SHA}`, `{SSHA}`, `{SHA256}`, `{SSHA256}`, `{SHA512}`, `{SSHA512}`, `{MD5}`,
 * `{SMD5}`, and `$pbkdf2[-sha1|-sha256|-sha512]$` in PHC or passlib form. Scheme tags are
 * case-insensitive. DES crypt, yescrypt and other known families are reported as unsupported.
 *
 * Operations: argon2/bcrypt/PBKDF2 run on the libuv threadpool; size UV_THREADPOOL_SIZE to
 * at least the admission's maxRunning plus headroom (see admission.ts).
 */
export { PasswordHasher } from './hasher.js';
export type { PasswordHasherOptions, VerifyResult } from './hasher.js';
export { Admission } from './admission.js';
export type { AdmissionOptions, AdmissionStats, RunOptions } from './admission.js';
export { hashArgon2id, needsRehash, nodeArgon2, OWASP_ARGON2ID, readArgon2, validateArgon2Params } from './argon2id.js';
export type { Argon2Backend, Argon2Params, StoredArgon2 } from './argon2id.js';
export { parseStoredHash, verifyStoredHash } from './verify.js';
export type { ParsedHash } from './verify.js';
export {
  APP_PASSWORD_ALPHABET,
  APP_PASSWORD_BITS,
  generateAppPassword,
  looksLikeAppPassword,
  normalizeAppPassword,
} from './app-password.js';
export { AbortedError, HashingBusyError, MalformedHashError, PasswordError, UnsupportedHashError } from './errors.js';
