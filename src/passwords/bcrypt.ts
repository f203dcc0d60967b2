/**
 * bcrypt (`$2a$`, `$2b$`, `$2y$`) through bcryptjs: only imported hashes use it, and they are
 * replaced by argon2id at the next successful login. It works in chunks between event-loop turns,
 * so even a high cost never blocks other logins.
 */
import bcrypt from 'bcryptjs';
import { MalformedHashError } from './errors.js';

export interface BcryptHash {
  encoded: string;
  cost: number;
}

/** Checks the shape and cost; throws MalformedHashError. */
export function parseBcrypt(stored: string): BcryptHash {
  const match = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(stored);
  const cost = Number(match?.[1]);
  if (!match || cost < 4 || cost > 31) throw new MalformedHashError('bcrypt', 'not a $2a$/$2b$/$2y$ string with a cost of 04-31');
  // `2y` (PHP's name) is the same algorithm as `2b`, which bcryptjs knows.
  return { encoded: stored.replace(/^\$2y\$/, '$2b$'), cost };
}

/** bcryptjs compares in constant time. */
export function verifyBcrypt(parsed: BcryptHash, password: string): Promise<boolean> {
  return bcrypt.compare(password, parsed.encoded);
}
