/**
 * Recently verified credentials, so reconnecting clients cost no password hash. Entries hold no
 * secret (the key is an HMAC) and are only trusted while the account's credential version is unchanged.
 */
import type { CredentialKind } from './decision.js';

export interface CachedVerification {
  accountId: string;
  backend: string;
  credential: CredentialKind;
  credentialVersion: number;
  impersonator?: string;
}

export interface VerificationCache {
  get(key: string): Promise<CachedVerification | null>;
  set(key: string, value: CachedVerification, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops everything (Nauthilus's cache flush). */
  clear(): Promise<void>;
}

/** A bounded in-memory LRU: Map keeps insertion order, so re-inserting on a hit moves an entry to the end. */
export class MemoryVerificationCache implements VerificationCache {
  private readonly entries = new Map<string, { value: CachedVerification; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<CachedVerification | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return null;
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: CachedVerification, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
