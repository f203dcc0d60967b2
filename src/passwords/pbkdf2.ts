/**
 * PBKDF2 hashes in the two `$pbkdf2-<digest>$` dialects found in imports:
 * the PHC string format (`$pbkdf2-sha256$i=N,l=L$salt$hash`, standard base64 without
 * padding, as RustCrypto writes) and passlib's (`$pbkdf2-sha512$N$salt$hash`, "adapted"
 * base64 with '.' for '+'). Both decode the salt to raw bytes before deriving.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { MalformedHashError } from './errors.js';
import { decodeAdaptedBase64, decodeBase64, safeEqual } from './encoding.js';

const pbkdf2Async = promisify(pbkdf2);

const DIGESTS = { '': 'sha1', '-sha1': 'sha1', '-sha256': 'sha256', '-sha512': 'sha512' } as const;
type Suffix = keyof typeof DIGESTS;

export interface Pbkdf2Hash {
  scheme: string;
  digest: 'sha1' | 'sha256' | 'sha512';
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

/** Parses either dialect; throws MalformedHashError. */
export function parsePbkdf2(stored: string): Pbkdf2Hash {
  const m = /^\$pbkdf2(-sha1|-sha256|-sha512)?\$([^$]+)\$([^$]*)\$([^$]+)$/.exec(stored);
  if (!m) throw new MalformedHashError('pbkdf2', 'not a $pbkdf2-<digest>$ string');
  const suffix: Suffix = (m[1] ?? '') as Suffix;
  const scheme = `pbkdf2${suffix}`;
  const [params = '', saltText = '', hashText = ''] = m.slice(2);

  // passlib writes a bare decimal round count; PHC writes key=value parameters.
  const passlib = /^\d+$/.test(params);
  const decode = passlib ? decodeAdaptedBase64 : decodeBase64;
  const iterations = passlib ? Number(params) : phcParam(params, 'i', scheme);
  const salt = decode(saltText);
  const hash = decode(hashText);
  if (!salt || !hash || hash.length === 0) throw new MalformedHashError(scheme, 'salt or hash is not base64');
  if (!passlib && /(^|,)l=/.test(params) && phcParam(params, 'l', scheme) !== hash.length) {
    throw new MalformedHashError(scheme, 'l= does not match the hash length');
  }
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new MalformedHashError(scheme, 'bad iteration count');
  return { scheme, digest: DIGESTS[suffix], iterations, salt, hash };
}

/** Derives on the libuv threadpool and compares in constant time. */
export async function verifyPbkdf2(parsed: Pbkdf2Hash, password: string): Promise<boolean> {
  const derived = await pbkdf2Async(password, parsed.salt, parsed.iterations, parsed.hash.length, parsed.digest);
  return safeEqual(derived, parsed.hash);
}

function phcParam(params: string, key: string, scheme: string): number {
  for (const pair of params.split(',')) {
    const [k, v] = pair.split('=');
    if (k === key && v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  throw new MalformedHashError(scheme, `missing or bad parameter ${key}=`);
}
