/** Keyed HMACs under the server key: cache keys and wrong-password fingerprints never hold a secret. */
import { createHmac } from 'node:crypto';

export class KeyedHash {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the server key must be at least 32 bytes');
  }

  /** The verification-cache key of a credential. */
  cacheKey(parts: string[], secret: string): string {
    return this.mac('cache', parts, secret).toString('base64url');
  }

  /** A short fingerprint of a wrong secret: enough to count distinct ones, far too short to test guesses against. */
  fingerprint(login: string, secret: string): string {
    return this.mac('fp', [login.toLowerCase()], secret).subarray(0, 8).toString('hex');
  }

  private mac(purpose: string, parts: string[], secret: string): Buffer {
    const hmac = createHmac('sha256', this.key).update(purpose);
    for (const part of parts) hmac.update('\0').update(part, 'utf8');
    return hmac.update('\0').update(secret, 'utf8').digest();
  }
}
