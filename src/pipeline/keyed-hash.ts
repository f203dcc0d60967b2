/** Keyed HMACs under the server key: cache keys and wrong-password fingerprints never hold a secret. */
import { createHmac, type Hmac } from 'node:crypto';

export class KeyedHash {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the server key must be at least 32 bytes');
  }

  /** The verification-cache key of a credential. */
  cacheKey(parts: string[], secret: string): string {
    // digest('base64url') encodes in C++, without a Buffer in between.
    return this.hmac('cache', parts, secret).digest('base64url');
  }

  /** A short fingerprint of a wrong secret: enough to count distinct ones, far too short to test guesses against. */
  fingerprint(login: string, secret: string): string {
    return this.hmac('fp', [login.toLowerCase()], secret).digest().subarray(0, 8).toString('hex');
  }

  /** purpose \0 part… \0 secret, in one update: the same bytes as one update per piece, at half the cost. */
  private hmac(purpose: string, parts: string[], secret: string): Hmac {
    return createHmac('sha256', this.key).update(`${purpose}\0${parts.join('\0')}\0${secret}`, 'utf8');
  }
}
