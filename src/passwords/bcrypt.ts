/** bcrypt (`$2a$`, `$2b$`, `$2y$`) through @node-rs/bcrypt, which hashes on the libuv threadpool. */
import { parseOptions, verify } from '@node-rs/bcrypt';
import { MalformedHashError } from './errors.js';

export interface BcryptHash {
  encoded: string;
  cost: number;
}

/** Checks the shape and cost with the library's own verifier parser; throws MalformedHashError. */
export function parseBcrypt(stored: string): BcryptHash {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(stored)) {
    throw new MalformedHashError('bcrypt', 'not a $2a$/$2b$/$2y$ string');
  }
  try {
    return { encoded: stored, cost: parseOptions(stored).cost };
  } catch {
    throw new MalformedHashError('bcrypt', 'cost or encoding rejected');
  }
}

/** The library compares in constant time; `2y` is the same algorithm as `2b`. */
export function verifyBcrypt(parsed: BcryptHash, password: string): Promise<boolean> {
  return verify(password, parsed.encoded);
}
