/** MD5-crypt (`$1$`, Poul-Henning Kamp's FreeBSD scheme) and Apache's `$apr1$` variant. */
import { createHash } from 'node:crypto';
import { MalformedHashError } from './errors.js';
import { byteAt, crypt64From24, CRYPT64_RE, safeEqualText } from './encoding.js';

export interface Md5CryptHash {
  magic: '$1$' | '$apr1$';
  salt: string;
  hash: string;
}

/** Parses `$1$salt$hash` / `$apr1$salt$hash`; throws MalformedHashError. */
export function parseMd5Crypt(stored: string): Md5CryptHash {
  const m = /^(\$1\$|\$apr1\$)([^$]*)\$([^$]*)$/.exec(stored);
  const magic = m?.[1] === '$1$' || m?.[1] === '$apr1$' ? m[1] : undefined;
  const hash = m?.[3] ?? '';
  if (!magic || hash.length !== 22 || !CRYPT64_RE.test(hash)) {
    throw new MalformedHashError('md5-crypt', 'not a $1$ string with a 22-character digest');
  }
  // Salts are at most eight characters; longer ones are truncated as in crypt(3).
  return { magic, salt: (m?.[2] ?? '').slice(0, 8), hash };
}

/** Computes the encoded digest (the part after the last `$`). */
export function md5CryptDigest(password: string, parsed: Md5CryptHash): string {
  const md5 = () => createHash('md5');
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(parsed.salt, 'utf8');

  const alt = md5().update(P).update(S).update(P).digest();
  const ctx = md5().update(P).update(parsed.magic).update(S);
  for (let n = P.length; n > 0; n -= 16) ctx.update(alt.subarray(0, Math.min(n, 16)));
  // Quirk of the original C: a set bit adds a NUL byte, a clear bit the first password byte.
  const first = P.subarray(0, 1).length ? P.subarray(0, 1) : Buffer.alloc(1);
  for (let n = P.length; n > 0; n >>>= 1) ctx.update(n & 1 ? Buffer.alloc(1) : first);
  let f = ctx.digest();

  for (let i = 0; i < 1000; i++) {
    const c = md5();
    c.update(i & 1 ? P : f);
    if (i % 3) c.update(S);
    if (i % 7) c.update(P);
    c.update(i & 1 ? f : P);
    f = c.digest();
  }

  let out = '';
  for (const [a, b, c] of [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]] as const) {
    out += crypt64From24(byteAt(f, a), byteAt(f, b), byteAt(f, c), 4);
  }
  return out + crypt64From24(0, 0, byteAt(f, 11), 2);
}

/** Verifies a password against a parsed MD5-crypt hash in constant time. */
export async function verifyMd5Crypt(parsed: Md5CryptHash, password: string): Promise<boolean> {
  return safeEqualText(md5CryptDigest(password, parsed), parsed.hash);
}
