/**
 * App passwords are 16 characters from 31 (about 79 random bits), so a fast SHA-256 resists offline guessing as well as argon2id
 * would, and checking one costs microseconds: an attacker cannot multiply hashing work by the
 * number of app passwords a user has.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256:';

/** Typing is forgiving: case, spaces and dashes do not matter. */
export function canonicalAppPassword(secret: string): string {
  return secret.toLowerCase().replace(/[\s-]/g, '');
}

export function appPasswordDigest(secret: string): string {
  return PREFIX + createHash('sha256').update(canonicalAppPassword(secret), 'utf8').digest('hex');
}

export function appPasswordMatches(storedDigest: string, secret: string): boolean {
  const expected = Buffer.from(storedDigest, 'utf8');
  const actual = Buffer.from(appPasswordDigest(secret), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
