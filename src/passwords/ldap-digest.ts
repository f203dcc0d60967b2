/** RFC 2307-style digests: {SHA}, {SSHA}, {SHA256}, {SSHA256}, {SHA512}, {SSHA512}, {MD5}, {SMD5} (OpenLDAP, pw-sha2). */
import { createHash } from 'node:crypto';
import { MalformedHashError } from './errors.js';
import { decodeBase64, safeEqual } from './encoding.js';

const DIGESTS = {
  MD5: { algorithm: 'md5', size: 16, salted: false },
  SMD5: { algorithm: 'md5', size: 16, salted: true },
  SHA: { algorithm: 'sha1', size: 20, salted: false },
  SSHA: { algorithm: 'sha1', size: 20, salted: true },
  SHA256: { algorithm: 'sha256', size: 32, salted: false },
  SSHA256: { algorithm: 'sha256', size: 32, salted: true },
  SHA512: { algorithm: 'sha512', size: 64, salted: false },
  SSHA512: { algorithm: 'sha512', size: 64, salted: true },
} as const;

export type LdapDigestTag = keyof typeof DIGESTS;

export interface LdapDigestHash {
  tag: LdapDigestTag;
  digest: Buffer;
  salt: Buffer;
}

export function isLdapDigestTag(tag: string): tag is LdapDigestTag {
  return Object.hasOwn(DIGESTS, tag);
}

/** Parses the base64 part after an (upper-cased) tag; the salt is whatever follows the digest. */
export function parseLdapDigest(tag: LdapDigestTag, value: string): LdapDigestHash {
  const { size, salted } = DIGESTS[tag];
  const raw = decodeBase64(value.trim());
  if (!raw) throw new MalformedHashError(`{${tag}}`, 'value is not base64');
  if (salted ? raw.length <= size : raw.length !== size) {
    throw new MalformedHashError(`{${tag}}`, `decoded length ${raw.length} does not fit a ${size}-byte digest`);
  }
  return { tag, digest: raw.subarray(0, size), salt: raw.subarray(size) };
}

/** digest(password || salt), compared in constant time. */
export async function verifyLdapDigest(parsed: LdapDigestHash, password: string): Promise<boolean> {
  const computed = createHash(DIGESTS[parsed.tag].algorithm).update(password, 'utf8').update(parsed.salt).digest();
  return safeEqual(computed, parsed.digest);
}
