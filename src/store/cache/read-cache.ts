/**
 * A change-detecting cache of the store's hot reads (users, groups, memberships, service accounts,
 * app passwords). Every hit first asks the ChangeSource whether anything was committed, by this
 * process or any other, so a password change, disable or revoke is seen at once (SQLite: by the
 * next event-loop turn at the latest, see sqlite-changes.ts).
 * Values are frozen: callers share them, and a mutation would otherwise poison the cache.
 */
import type { ChangeSource } from './change-source.js';

/**
 * Keys live in numbered spaces (one per kind of look-up: users by address, groups of a user, …),
 * so a key is the looked-up value itself: no prefixed key string built, hashed and kept per read.
 */
export type Space = number;

/** What a load read: the value asked for, and entries of other keys known from the same read. */
export interface Loaded<T> {
  value: T;
  related?: ReadonlyArray<readonly [space: Space, key: string, value: unknown]>;
}

interface Slot {
  value: unknown;
  /** Served while now < expires: stored at + the source's age limit, or less for values with unsignalled parts (one number per slot, not two). */
  expires: number;
}

export class ReadCache {
  private readonly spaces: Array<Map<string, Slot>> = [];
  private entries = 0;
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
    for (const slots of this.spaces) slots.clear();
    this.entries = 0;
  }

  /** Drops one entry, after a write that only it can show (a load in flight is not stored either). */
  forget(key: string, space: Space = 0): void {
    this.generation++;
    if (this.spaces[space]?.delete(key)) this.entries--;
  }

  /**
   * `maxAgeMs` bounds how long this entry is served, below the source's limit: for a value that
   * also carries data whose writes send no change signal (an app password's last use).
   */
  get<T>(key: string, load: () => Promise<T>, maxAgeMs = Number.POSITIVE_INFINITY, space: Space = 0): Promise<T> {
    if (!this.source.live) return load();
    const now = this.now();
    const slot = this.fresh(space, key, now);
    return slot ? Promise.resolve(slot.value as T) : this.fill(space, key, now, load, maxAgeMs);
  }

  /**
   * Like get, for a load that also learns other entries from the same read (e.g. a user's empty
   * group list): they are stored with the value, under the same rule.
   */
  getWith<T>(key: string, load: () => Promise<Loaded<T>>, space: Space = 0): Promise<T> {
    if (!this.source.live) return load().then((l) => l.value);
    const now = this.now();
    const slot = this.fresh(space, key, now);
    return slot ? Promise.resolve(slot.value as T) : this.fillWith(space, key, now, load);
  }

  /** The key's slot if it may be served (nothing committed since it was stored, not too old). */
  private fresh(space: Space, key: string, now: number): Slot | undefined {
    if (this.source.poll()) this.invalidate();
    const slot = this.spaces[space]?.get(key);
    if (slot !== undefined && now < slot.expires) {
      this.hits++;
      return slot;
    }
    this.misses++;
    return undefined;
  }

  private async fill<T>(space: Space, key: string, at: number, load: () => Promise<T>, maxAgeMs: number): Promise<T> {
    const generation = this.generation;
    const value = await load();
    // Stored only if nothing changed meanwhile (an async load may have read the old row).
    if (generation === this.generation && this.source.live) this.store(space, key, value, at, maxAgeMs);
    return value;
  }

  private async fillWith<T>(space: Space, key: string, at: number, load: () => Promise<Loaded<T>>): Promise<T> {
    const generation = this.generation;
    const { value, related } = await load();
    if (generation === this.generation && this.source.live) {
      this.store(space, key, value, at);
      if (related) for (const [s, k, v] of related) this.store(s, k, v, at);
    }
    return value;
  }

  private store(space: Space, key: string, value: unknown, at: number, maxAgeMs = Number.POSITIVE_INFINITY): void {
    let slots = this.spaces[space];
    if (slots === undefined) {
      while (this.spaces.length < space) this.spaces.push(new Map());
      this.spaces[space] = slots = new Map();
    }
    if (this.entries >= this.maxEntries && !slots.has(key)) this.evictOldest(slots);
    const size = slots.size;
    slots.set(key, { value: deepFreeze(value), expires: at + Math.min(maxAgeMs, this.source.maxAgeMs) });
    this.entries += slots.size - size;
  }

  /** The oldest entry of the space being filled, else of the first space holding any. */
  private evictOldest(preferred: Map<string, Slot>): void {
    const slots = preferred.size > 0 ? preferred : this.spaces.find((m) => m.size > 0);
    const oldest = slots?.keys().next();
    if (slots && oldest && !oldest.done) {
      slots.delete(oldest.value);
      this.entries--;
    }
  }

  get size(): number {
    return this.entries;
  }
}

/** Freezes a value and everything it holds; an already frozen value is taken as frozen through (loaders freeze their own shapes cheaply). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || value instanceof Date) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
