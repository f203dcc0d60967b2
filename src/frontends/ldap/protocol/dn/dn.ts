// The Dn value object: parse once, then compare, walk up and test ancestry on normalized RDNs.

import { formatRdns, normalizeRdn } from './format.js';
import { parseRdns } from './parse.js';
import type { Rdn } from './types.js';

/**
 * A parsed distinguished name, leaf RDN first (`uid=jane,ou=users,dc=example,dc=org`).
 * Comparisons use the normalized form (case-ignore matching), computed lazily and cached.
 * Construction from a string throws `DnSyntaxError` (answer invalidDNSyntax).
 */
export class Dn {
  readonly rdns: readonly Rdn[];
  private normalizedRdnsCache: readonly string[] | undefined;
  private normalizedCache: string | undefined;

  constructor(rdns: readonly Rdn[]) {
    this.rdns = rdns;
  }

  /** Parses an RFC 4514 string; `''` is the root DN. */
  static parse(input: string): Dn {
    return new Dn(parseRdns(input));
  }

  static readonly root = new Dn([]);

  get isRoot(): boolean {
    return this.rdns.length === 0;
  }

  /** The leaf RDN; undefined for the root. */
  get rdn(): Rdn | undefined {
    return this.rdns[0];
  }

  /** Normalized RDN strings, leaf first. */
  get normalizedRdns(): readonly string[] {
    this.normalizedRdnsCache ??= this.rdns.map(normalizeRdn);
    return this.normalizedRdnsCache;
  }

  /** One string for map keys and equality: `uid=jane,ou=users,dc=example,dc=org`. */
  get normalized(): string {
    this.normalizedCache ??= this.normalizedRdns.join(',');
    return this.normalizedCache;
  }

  /** The DN as written (escaping made consistent, case and spacing of values kept). */
  toString(): string {
    return formatRdns(this.rdns);
  }

  equals(other: Dn | string): boolean {
    return this.normalized === toDn(other).normalized;
  }

  /** The DN one level up; undefined for the root. */
  parent(): Dn | undefined {
    if (this.rdns.length === 0) return undefined;
    const up = new Dn(this.rdns.slice(1));
    if (this.normalizedRdnsCache) up.normalizedRdnsCache = this.normalizedRdnsCache.slice(1);
    return up;
  }

  /**
   * True when this DN lies below `ancestor` (subtree scope). With `orSelf`, equality counts
   * too, which is what a wholeSubtree search from `ancestor` includes.
   */
  isDescendantOf(ancestor: Dn | string, options: { orSelf?: boolean } = {}): boolean {
    const mine = this.normalizedRdns;
    const theirs = toDn(ancestor).normalizedRdns;
    const extra = mine.length - theirs.length;
    if (extra < 0 || (extra === 0 && !options.orSelf)) return false;
    for (let i = 0; i < theirs.length; i++) if (mine[extra + i] !== theirs[i]) return false;
    return true;
  }

  /** True when this DN is directly below `parent` (singleLevel scope). */
  isChildOf(parent: Dn | string): boolean {
    const p = toDn(parent);
    return this.rdns.length === p.rdns.length + 1 && this.isDescendantOf(p);
  }
}

function toDn(value: Dn | string): Dn {
  return typeof value === 'string' ? Dn.parse(value) : value;
}

/** Parses a DN string; throws `DnSyntaxError`. */
export function parseDn(input: string): Dn {
  return Dn.parse(input);
}

/** The normalized form of a DN string, for keys and comparisons; throws `DnSyntaxError`. */
export function normalizeDn(input: string): string {
  return Dn.parse(input).normalized;
}
