/** Keyed HMACs under the server key: cache keys and wrong-password fingerprints never hold a secret. */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

const BLOCK = 64; // SHA-256's block size
/** crypto.hash (Node ≥ 20.12): one native call, no Hash object. */
const oneShot = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : null;

export class KeyedHash {
  private readonly innerPad = Buffer.alloc(BLOCK, 0x36);
  /** The outer pad, then room for the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK + 32, 0x5c);

  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the server key must be at least 32 bytes');
    const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
    for (let i = 0; i < k.length; i++) {
      this.innerPad[i] = (this.innerPad[i] ?? 0) ^ (k[i] ?? 0);
      this.outer[i] = (this.outer[i] ?? 0) ^ (k[i] ?? 0);
    }
  }

  /** The verification-cache key of a credential. */
  cacheKey(parts: string[], secret: string): string {
    return this.hmac(`cache\0${parts.join('\0')}\0${secret}`, 'base64url');
  }

  /** A short fingerprint of a wrong secret: enough to count distinct ones, far too short to test guesses against. */
  fingerprint(login: string, secret: string): string {
    return this.hmac(`fp\0${login.toLowerCase()}\0${secret}`, 'hex').slice(0, 16);
  }

  /**
   * HMAC-SHA256 of purpose \0 part… \0 secret (RFC 2104), from two one-shot hashes over pads
   * worked out once: createHmac sets its key up anew on every call, about half the cost.
   */
  private hmac(message: string, encoding: 'base64url' | 'hex'): string {
    if (!oneShot) return createHmac('sha256', this.key).update(message, 'utf8').digest(encoding);
    const inner = Buffer.allocUnsafe(BLOCK + Buffer.byteLength(message, 'utf8'));
    this.innerPad.copy(inner, 0);
    inner.write(message, BLOCK, 'utf8');
    (oneShot('sha256', inner, 'buffer') as Buffer).copy(this.outer, BLOCK);
    inner.fill(0); // the message holds the secret: not left behind in the buffer pool
    return oneShot('sha256', this.outer, encoding);
  }
}
