/**
 * Shaped entries remembered per store object. The store's read cache hands out the same frozen
 * object until its row changes, so an entry (DNs built, dates formatted) is built once per
 * change, not per search. Unfrozen objects come fresh from the database: never remembered.
 */
import type { Entry } from './entry.js';

export class EntryMemo {
  private readonly memo = new WeakMap<object, { extra: unknown; entry: Entry }>();

  /** `extra`: the other input of the shape (the groups or members list), compared by identity. */
  get(source: object, extra: unknown, build: () => Entry): Entry {
    const hit = this.memo.get(source);
    if (hit !== undefined && hit.extra === extra) return hit.entry;
    const entry = build();
    // A remembered entry is frozen: that marks it as reused (search.ts keeps its encoding).
    if (Object.isFrozen(source) && (extra === null || Object.isFrozen(extra))) this.memo.set(source, { extra, entry: Object.freeze(entry) });
    return entry;
  }
}
