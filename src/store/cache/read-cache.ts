/**
 * A change-detecting cache of the store's hot reads (users, groups, memberships, service accounts,
 * app passwords). Every hit first asks the ChangeSource whether anything was committed, by this
 * process or any other, so a password change, disable or revoke is seen at once (SQLite: by the
 * next event-loop turn at the latest, see sqlite-changes.ts).
 * Values are frozen: callers share them, and a mutation would otherwise poison the cache.
 */
import type { ChangeSource } from './change-source.js';

/** What a load read: the value asked for, and entries of other keys known from the same read. */
export interface Loaded<T> {
  value: T;
  related?: ReadonlyArray<readonly [key: string, value: unknown]>;
}

interface Slot {
  value: unknown;
  at: number;
  /** How long it may be served: the source's age limit, or less for values with unsignalled parts. */
  maxAge: number;
}

export class ReadCache {
  private readonly slots = new Map<string, Slot>();
  /** Bumped on every invalidation: a load that straddles one must not be stored. */
  private generation = 0;
  hits = 0;
  misses = 0;
  /** Whole-cache drops (changes seen or pushed, writes through the store): for tests and metrics. */
  invalidations = 0;

  constructor(
    private readonly source: ChangeSource,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    source.subscribe(() => this.invalidate());
  }

  invalidate(): void {
    this.generation++;
    this.invalidations++;
    this.slots.clear();
  }

  /** Drops one entry, after a write that only it can show (a load in flight is not stored either). */
  forget(key: string): void {
    this.generation++;
    this.slots.delete(key);
  }

  /**
   * `maxAgeMs` bounds how long this entry is served, below the source's limit: for a value that
   * also carries data whose writes send no change signal (an app password's last use).
   */
  get<T>(key: string, load: () => Promise<T>, maxAgeMs = Number.POSITIVE_INFINITY): Promise<T> {
    if (!this.source.live) return load();
    const now = this.now();
    const slot = this.fresh(key, now);
    return slot ? Promise.resolve(slot.value as T) : this.fill(key, now, load, maxAgeMs);
  }

  /**
   * Like get, for a load that also learns other entries from the same read (e.g. a user's empty
   * group list): they are stored with the value, under the same rule.
   */
  getWith<T>(key: string, load: () => Promise<Loaded<T>>): Promise<T> {
    if (!this.source.live) return load().then((l) => l.value);
    const now = this.now();
    const slot = this.fresh(key, now);
    return slot ? Promise.resolve(slot.value as T) : this.fillWith(key, now, load);
  }

  /** The key's slot if it may be served (nothing committed since it was stored, not too old). */
  private fresh(key: string, now: number): Slot | undefined {
    if (this.source.poll()) this.invalidate();
    const slot = this.slots.get(key);
    if (slot !== undefined && now - slot.at < slot.maxAge) {
      this.hits++;
      return slot;
    }
    this.misses++;
    return undefined;
  }

  private async fill<T>(key: string, at: number, load: () => Promise<T>, maxAgeMs: number): Promise<T> {
    const generation = this.generation;
    const value = await load();
    // Stored only if nothing changed meanwhile (an async load may have read the old row).
    if (generation === this.generation && this.source.live) this.store(key, value, at, maxAgeMs);
    return value;
  }

  private async fillWith<T>(key: string, at: number, load: () => Promise<Loaded<T>>): Promise<T> {
    const generation = this.generation;
    const { value, related } = await load();
    if (generation === this.generation && this.source.live) {
      this.store(key, value, at);
      if (related) for (const [k, v] of related) this.store(k, v, at);
    }
    return value;
  }

  private store(key: string, value: unknown, at: number, maxAgeMs = Number.POSITIVE_INFINITY): void {
    if (this.slots.size >= this.maxEntries) this.evictOldest();
    this.slots.set(key, { value: deepFreeze(value), at, maxAge: Math.min(maxAgeMs, this.source.maxAgeMs) });
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
