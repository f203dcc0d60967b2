/**
 * A change-detecting cache of the store's hot reads (users, groups, memberships, service accounts,
 * app passwords). Every hit first asks the ChangeSource whether anything was committed, by this
 * process or any other, so a password change, disable or revoke is seen by the very next read.
 * Values are frozen: callers share them, and a mutation would otherwise poison the cache.
 */
import type { ChangeSource } from './change-source.js';

interface Slot {
  value: unknown;
  at: number;
}

export class ReadCache {
  private readonly slots = new Map<string, Slot>();
  /** Bumped on every invalidation: a load that straddles one must not be stored. */
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly source: ChangeSource,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    source.subscribe(() => this.invalidate());
  }

  invalidate(): void {
    this.generation++;
    this.slots.clear();
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const source = this.source;
    if (!source.live) return load();
    if (source.poll()) this.invalidate();
    const slot = this.slots.get(key);
    const now = this.now();
    if (slot !== undefined && now - slot.at < source.maxAgeMs) {
      this.hits++;
      return Promise.resolve(slot.value as T);
    }
    this.misses++;
    return this.fill(key, load, now);
  }

  private async fill<T>(key: string, load: () => Promise<T>, at: number): Promise<T> {
    const generation = this.generation;
    const value = await load();
    // Stored only if nothing changed meanwhile (an async load may have read the old row).
    if (generation === this.generation && this.source.live) {
      if (this.slots.size >= this.maxEntries) this.evictOldest();
      this.slots.set(key, { value: deepFreeze(value), at });
    }
    return value;
  }

  private evictOldest(): void {
    const oldest = this.slots.keys().next();
    if (!oldest.done) this.slots.delete(oldest.value);
  }

  get size(): number {
    return this.slots.size;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || value instanceof Date) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
