/** A directory entry as served: a DN and attributes keyed by lowercased canonical name. */
import { attributeType } from './schema.js';

export interface Attribute {
  /** Canonical case, as answers print it. */
  name: string;
  /** Possibly shared with other entries (e.g. the object classes): never mutated. */
  values: readonly string[];
  operational: boolean;
}

export interface Entry {
  dn: string;
  /** Key: lowercased canonical attribute name. */
  attributes: ReadonlyMap<string, Attribute>;
  /** Only on entries remembered by entry-memo.ts (frozen): what they were built from and their last encoding. */
  readonly kept?: Kept;
}

/** The one mutable part of a remembered entry, in one object (no WeakMap per concern). */
export interface Kept {
  /** The shape's other input (groups or members list), compared by identity. */
  readonly extra: unknown;
  /** The encoded SearchResultEntry protocolOp for the selection `key` (search.ts). */
  key: string;
  op: Buffer | null;
}

/** A known attribute's key and canonical name, looked up once: the hot shapes (users) add by slot. */
export interface AttributeSlot {
  key: string;
  name: string;
  operational: boolean;
}

export function attributeSlot(name: string): AttributeSlot {
  const type = attributeType(name);
  const canonical = type?.name ?? name;
  return { key: canonical.toLowerCase(), name: canonical, operational: type?.operational ?? false };
}

/** An attribute whose values never vary (object classes, hasSubordinates): one frozen object shared by every entry. */
export function constantAttribute(slot: AttributeSlot, values: readonly string[]): Attribute {
  return Object.freeze({ name: slot.name, values: Object.freeze([...values]), operational: slot.operational });
}

/** The attribute of a slot, or undefined when there is no value (LDAP has no empty attributes). `values` hold no empty string. */
export function slotAttribute(slot: AttributeSlot, values: readonly string[] | null): Attribute | undefined {
  return values !== null && values.length > 0 ? { name: slot.name, values, operational: slot.operational } : undefined;
}

/**
 * A fixed list of attribute slots shared by every entry of one shape (users): an entry then keeps
 * one array of its attributes instead of a Map of its own (~1.4 KB for twenty keys).
 */
export class AttributeLayout {
  private readonly index = new Map<string, number>();
  /** Per selection (shared: select.ts parses each list once), the slots it names, in layout order. */
  private readonly picks = new WeakMap<object, ReadonlyArray<readonly [slot: number, type: string]>>();

  constructor(readonly slots: readonly AttributeSlot[]) {
    slots.forEach((slot, i) => this.index.set(slot.key, i));
  }

  slotOf(key: string): number | undefined {
    return this.index.get(key);
  }

  /** The slots of the `named` keys (key → type as asked), in layout order; remembered per `selection`. */
  picksFor(selection: object, named: ReadonlyMap<string, string>): ReadonlyArray<readonly [slot: number, type: string]> {
    let picks = this.picks.get(selection);
    if (picks === undefined) {
      picks = this.slots.flatMap((slot, i): Array<readonly [number, string]> => {
        const type = named.get(slot.key);
        return type === undefined ? [] : [[i, type]];
      });
      this.picks.set(selection, picks);
    }
    return picks;
  }
}

/** A slot not computed yet (LaidOutAttributes). */
const UNSET: Attribute = Object.freeze({ name: '', values: Object.freeze([]), operational: false });

/**
 * An entry's attributes in its layout's order, each computed on first use by `compute(slot)`: a
 * first read of a user usually touches only the few a filter and selection name, and a
 * remembered entry keeps only those (the user it is computed from is kept anyway).
 */
export abstract class LaidOutAttributes implements ReadonlyMap<string, Attribute> {
  private readonly list: Array<Attribute | undefined>;

  constructor(readonly layout: AttributeLayout) {
    this.list = new Array<Attribute | undefined>(layout.slots.length).fill(UNSET);
  }

  /** Slot i's attribute, or undefined when absent; may set other slots too (through `put`). */
  protected abstract compute(slot: number): Attribute | undefined;

  /** Sets a slot not computed yet (a computation shares a value list with another slot). */
  protected put(slot: number, attribute: Attribute | undefined): void {
    if (this.list[slot] === UNSET) this.list[slot] = attribute;
  }

  at(slot: number): Attribute | undefined {
    let a = this.list[slot];
    if (a === UNSET) this.list[slot] = a = this.compute(slot);
    return a;
  }

  get size(): number {
    let n = 0;
    for (let i = 0; i < this.list.length; i++) if (this.at(i) !== undefined) n++;
    return n;
  }

  get(key: string): Attribute | undefined {
    const i = this.layout.slotOf(key);
    return i === undefined ? undefined : this.at(i);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, Attribute]> {
    for (let i = 0; i < this.list.length; i++) {
      const a = this.at(i);
      if (a !== undefined) yield [(this.layout.slots[i] as AttributeSlot).key, a];
    }
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<Attribute> {
    for (let i = 0; i < this.list.length; i++) {
      const a = this.at(i);
      if (a !== undefined) yield a;
    }
  }

  [Symbol.iterator](): MapIterator<[string, Attribute]> {
    return this.entries();
  }

  forEach(fn: (value: Attribute, key: string, map: ReadonlyMap<string, Attribute>) => void, thisArg?: unknown): void {
    for (const [key, a] of this.entries()) fn.call(thisArg, a, key, this);
  }
}

/** Builds an entry; attributes with no values are left out (LDAP has no empty attributes). */
export class EntryBuilder {
  private readonly attributes = new Map<string, Attribute>();

  constructor(private readonly dn: string) {}

  /** A frozen list is kept as it is, not copied: constants like the object classes are shared by every entry. */
  add(name: string, values: string | readonly string[] | null | undefined): this {
    let list: readonly string[];
    if (values == null || values === '') return this;
    if (typeof values === 'string') list = [values];
    else if (Object.isFrozen(values) && !values.includes('')) list = values;
    else list = values.filter((v) => v !== '');
    if (list.length === 0) return this;
    const type = attributeType(name);
    const canonical = type?.name ?? name;
    this.attributes.set(canonical.toLowerCase(), { name: canonical, values: list, operational: type?.operational ?? false });
    return this;
  }

  build(): Entry {
    return { dn: this.dn, attributes: this.attributes };
  }
}

/** RFC 4517 GeneralizedTime in UTC, e.g. 20250102030405Z. */
export function generalizedTime(date: Date): string {
  const year = date.getUTCFullYear();
  // Years toISOString writes with six digits and a sign, and invalid dates (it throws): as before.
  if (!(year >= 0 && year <= 9999)) return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${String(year).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Parses GeneralizedTime (seconds and fractions optional, Z or ±hhmm); NaN when invalid. */
export function parseGeneralizedTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})$/.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi = '00', s = '00', frac = '0', zone = 'Z'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(Number(`0.${frac}`) * 1000));
  if (zone === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  return ms - sign * offset;
}
