/** Recognises a stored hash by its prefix and returns a verifier for it; no I/O, no store. */
import { needsRehash as argon2NeedsRehash, nodeArgon2, readArgon2 } from './argon2id.js';
import type { Argon2Backend, Argon2Params } from './argon2id.js';
import { parseBcrypt, verifyBcrypt } from './bcrypt.js';
import { MalformedHashError, UnsupportedHashError } from './errors.js';
import { isLdapDigestTag, parseLdapDigest, verifyLdapDigest } from './ldap-digest.js';
import { parseMd5Crypt, verifyMd5Crypt } from './md5-crypt.js';
import { parsePbkdf2, verifyPbkdf2 } from './pbkdf2.js';
import { parseShaCrypt, verifyShaCrypt } from './sha-crypt.js';

/** A stored hash whose scheme is known and whose syntax has been checked. */
export interface ParsedHash {
  /** Stable scheme name for logs and metrics, e.g. `argon2id`, `sha512-crypt`, `{SSHA}`. */
  scheme: string;
  /** Whether the hash should be replaced by an argon2id hash with `params` after a good login. */
  needsRehash(params: Argon2Params): boolean;
  /** Never rejects for a wrong password, only for a broken hash or library. */
  verify(password: string): Promise<boolean>;
}

const legacy = (scheme: string, verify: (password: string) => Promise<boolean>): ParsedHash => ({
  scheme,
  needsRehash: () => true,
  verify,
});

/** crypt(3) families we recognise but do not implement, so imports fail with a clear reason. */
const UNSUPPORTED_CRYPT: ReadonlyArray<[RegExp, string, string]> = [
  [/^[./0-9A-Za-z]{13}$/, 'crypt-des', 'traditional DES crypt is not supported; reset the password'],
  [/^_[./0-9A-Za-z]{19}$/, 'crypt-bsdi', 'BSDi extended DES crypt is not supported'],
  [/^\$y\$/, 'yescrypt', 'yescrypt is not supported'],
  [/^\$gy\$/, 'gost-yescrypt', 'gost-yescrypt is not supported'],
  [/^\$7\$/, 'scrypt', 'scrypt crypt strings are not supported'],
  [/^\$2x\$/, 'bcrypt-2x', 'the buggy $2x$ bcrypt variant is not supported'],
  [/^\$(sha1|md5)[$,]/, 'crypt-sun', 'Sun/NetBSD crypt variants are not supported'],
];

/**
 * Parses any supported stored hash. Throws UnsupportedHashError for known-but-unsupported
 * schemes and MalformedHashError for anything else.
 */
export function parseStoredHash(raw: string, argon2: Argon2Backend = nodeArgon2): ParsedHash {
  // slapd 2.5's argon2 module stores its hashes with trailing NUL bytes.
  const stored = raw.replace(/\0+$/, '');
  const tagged = /^\{([A-Za-z0-9-]+)\}([\s\S]*)$/.exec(stored);
  if (!tagged) return parseModular(stored, argon2, false);

  const tag = (tagged[1] ?? '').toUpperCase();
  const rest = tagged[2] ?? '';
  if (isLdapDigestTag(tag)) {
    const parsed = parseLdapDigest(tag, rest);
    return legacy(`{${tag}}`, (pw) => verifyLdapDigest(parsed, pw));
  }
  if (tag === 'CRYPT') return parseModular(rest, argon2, true);
  if (tag === 'ARGON2') {
    if (!rest.startsWith('$argon2')) throw new MalformedHashError('{ARGON2}', 'value is not an argon2 PHC string');
    const inner = parseArgon2(rest, argon2);
    // Even a strong {ARGON2} hash is rewritten once, into the canonical untagged form.
    return { ...inner, scheme: `{ARGON2}${inner.scheme}`, needsRehash: () => true };
  }
  throw new UnsupportedHashError(`{${tag}}`, 'unknown scheme tag');
}

/** Convenience: parse and verify in one call (throws like parseStoredHash). */
export function verifyStoredHash(stored: string, password: string, argon2: Argon2Backend = nodeArgon2): Promise<boolean> {
  return parseStoredHash(stored, argon2).verify(password);
}

/** `$id$...` modular crypt strings; inside `{CRYPT}` only the crypt(3) families are accepted. */
function parseModular(value: string, argon2: Argon2Backend, inCrypt: boolean): ParsedHash {
  for (const [re, scheme, reason] of UNSUPPORTED_CRYPT) {
    if ((inCrypt || scheme !== 'crypt-des') && re.test(value)) throw new UnsupportedHashError(scheme, reason);
  }
  if (value.startsWith('$6$') || value.startsWith('$5$')) {
    const parsed = parseShaCrypt(value);
    return legacy(parsed.variant.scheme, (pw) => verifyShaCrypt(parsed, pw));
  }
  if (value.startsWith('$1$') || value.startsWith('$apr1$')) {
    const parsed = parseMd5Crypt(value);
    return legacy(parsed.magic === '$1$' ? 'md5-crypt' : 'apr1-md5', (pw) => verifyMd5Crypt(parsed, pw));
  }
  if (/^\$2[aby]\$/.test(value)) {
    const parsed = parseBcrypt(value);
    return legacy('bcrypt', (pw) => verifyBcrypt(parsed, pw));
  }
  if (!inCrypt && value.startsWith('$argon2')) return parseArgon2(value, argon2);
  if (!inCrypt && value.startsWith('$pbkdf2')) {
    const parsed = parsePbkdf2(value);
    return legacy(parsed.scheme, (pw) => verifyPbkdf2(parsed, pw));
  }
  throw new MalformedHashError(inCrypt ? '{CRYPT}' : 'unknown', 'unrecognised hash format');
}

function parseArgon2(value: string, argon2: Argon2Backend): ParsedHash {
  const stored = readArgon2(value);
  return {
    scheme: stored.variant,
    needsRehash: (params) => argon2NeedsRehash(value, params),
    verify: (pw) => argon2.verify(value, pw),
  };
}
