/**
 * A short read-through cache of upstream look-ups (found and not found), so the LDAP directory
 * view's hot path (every RCPT TO) and cache revalidation do not hit the upstream each time.
 * Bounded; the oldest entry goes first. Never holds a password or a verification.
 */
import type { BackendAccount } from '../api.js';

export class AccountCache {
  private readonly entries = new Map<string, { value: BackendAccount | null; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** undefined: not cached (ask upstream); null: cached as not found. */
  get(login: string): BackendAccount | null | undefined {
    const key = login.trim().toLowerCase();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(login: string, value: BackendAccount | null): void {
    if (this.ttlSeconds <= 0) return;
    const key = login.trim().toLowerCase();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(login: string): void {
    this.entries.delete(login.trim().toLowerCase());
  }
}
