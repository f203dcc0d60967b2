/**
 * Shaped entries remembered per store object. The store's read cache hands out the same frozen
 * object until its row changes, so an entry (DNs built, dates formatted) is built once per
 * change, not per search. Unfrozen objects come fresh from the database: never remembered.
 */
import type { Entry } from './entry.js';

export class EntryMemo {
  private readonly memo = new WeakMap<object, Entry>();

  /** `extra`: the other input of the shape (the groups or members list), compared by identity. */
  get(source: object, extra: unknown, build: () => Entry): Entry {
    const hit = this.memo.get(source);
    if (hit?.kept !== undefined && hit.kept.extra === extra) return hit;
    const entry = build();
    if (!Object.isFrozen(source) || (extra !== null && !Object.isFrozen(extra))) return entry;
    // A remembered entry is frozen: that marks it as reused (search.ts keeps its encoding in `kept`).
    const kept: Entry = Object.freeze({ dn: entry.dn, attributes: entry.attributes, kept: { extra, key: '', op: null } });
    this.memo.set(source, kept);
    return kept;
  }
}
