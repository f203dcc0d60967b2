/**
 * Evaluates a search filter against an entry with LDAP's three-valued logic (RFC 4511 §4.5.1.7):
 * an assertion on an unknown attribute or with an invalid value is Undefined, and NOT Undefined
 * stays Undefined. Filter values are data: they are compared, never parsed as filter syntax.
 */
import { Dn, type AssertionFilter, type ExtensibleFilter, type Filter, type SubstringsFilter } from '../protocol/index.js';
import type { Entry } from './entry.js';
import { compareFor, normalizeFor, ruleMatcher } from './matching.js';
import { attributeKey, attributeType, syntaxOf, typeKey, type Syntax } from './schema.js';

type Tri = boolean | undefined;

/** True only when the filter evaluates to TRUE (FALSE and Undefined both exclude the entry). */
export function matchesFilter(filter: Filter, entry: Entry): boolean {
  return evaluate(filter, entry) === true;
}

function evaluate(filter: Filter, entry: Entry): Tri {
  switch (filter.type) {
    case 'and': {
      let result: Tri = true;
      for (const child of filter.filters) {
        const r = evaluate(child, entry);
        if (r === false) return false;
        if (r === undefined) result = undefined;
      }
      return result;
    }
    case 'or': {
      let result: Tri = false;
      for (const child of filter.filters) {
        const r = evaluate(child, entry);
        if (r === true) return true;
        if (r === undefined) result = undefined;
      }
      return result;
    }
    case 'not': {
      const r = evaluate(filter.filter, entry);
      return r === undefined ? undefined : !r;
    }
    case 'present':
      return entry.attributes.has(attributeKey(filter.attribute)) || isObjectClass(filter.attribute);
    case 'equality':
    case 'approx':
      return equality(filter, entry);
    case 'greaterOrEqual':
    case 'lessOrEqual':
      return ordering(filter, entry);
    case 'substrings':
      return substrings(filter, entry);
    case 'extensible':
      return extensible(filter, entry);
  }
}

function isObjectClass(attribute: string): boolean {
  return attributeKey(attribute) === 'objectclass';
}

/** One list for every absent attribute: a fresh one each time would be normalised (and cached) each time. */
const NO_VALUES: readonly string[] = Object.freeze([]);

/** Values of the attribute, or undefined when the type is unknown to us (Undefined, not FALSE). */
function valuesOf(attribute: string, entry: Entry): readonly string[] | undefined {
  const found = entry.attributes.get(attributeKey(attribute));
  if (found) return found.values;
  return attributeType(attribute) ? NO_VALUES : undefined;
}

/** An equality assertion worked out once per filter node: a search evaluates it on every candidate (and the base and containers). */
interface Prepared {
  /** The entry key; undefined when the type is unknown (Undefined, as in valuesOf). */
  key: string;
  known: boolean;
  syntax: Syntax;
  /** The normalized assertion value; undefined when it is invalid for the syntax. */
  wanted: string | undefined;
}

const prepared = new WeakMap<AssertionFilter, Prepared>();

function prepare(filter: AssertionFilter): Prepared {
  let p = prepared.get(filter);
  if (p === undefined) {
    const type = attributeType(filter.attribute);
    const syntax = type?.syntax ?? 'text';
    p = { key: type ? typeKey(type) : filter.attribute.toLowerCase(), known: type !== undefined, syntax, wanted: normalizeFor(syntax, filter.value.toString('utf8')) };
    prepared.set(filter, p);
  }
  return p;
}

/** Approximate match is equality here (case-insensitive already). */
function equality(filter: AssertionFilter, entry: Entry): Tri {
  const p = prepare(filter);
  const found = entry.attributes.get(p.key);
  // An unknown type is Undefined, not FALSE (as in valuesOf).
  const values = found ? found.values : p.known ? NO_VALUES : undefined;
  if (values === undefined) return undefined;
  if (p.wanted === undefined) return undefined;
  if (values.length <= FEW) {
    for (const value of values) if (normalizeFor(p.syntax, value) === p.wanted) return true;
    return false;
  }
  return normalizedValues(values, p.syntax).has(p.wanted);
}

/** Up to this many values are normalized on each evaluation: cheaper than a cached set kept per entry. */
const FEW = 2;

/**
 * An attribute's values normalized for a syntax, kept per values array: entries are reused while
 * their row is unchanged (entry-memo.ts), and lists like the object classes are shared, so each
 * value is normalized once, not on every search.
 */
const normalizedCache = new WeakMap<readonly string[], Map<Syntax, Set<string | undefined>>>();

function normalizedValues(values: readonly string[], syntax: Syntax): Set<string | undefined> {
  let bySyntax = normalizedCache.get(values);
  if (!bySyntax) normalizedCache.set(values, (bySyntax = new Map()));
  let set = bySyntax.get(syntax);
  if (!set) bySyntax.set(syntax, (set = new Set(values.map((v) => normalizeFor(syntax, v)))));
  return set;
}

function ordering(filter: AssertionFilter, entry: Entry): Tri {
  const values = valuesOf(filter.attribute, entry);
  if (values === undefined) return undefined;
  const syntax = syntaxOf(filter.attribute);
  const assertion = filter.value.toString('utf8');
  let result: Tri = false;
  for (const value of values) {
    const c = compareFor(syntax, value, assertion);
    if (c === undefined) result = undefined;
    else if (filter.type === 'greaterOrEqual' ? c >= 0 : c <= 0) return true;
  }
  return result;
}

function substrings(filter: SubstringsFilter, entry: Entry): Tri {
  const values = valuesOf(filter.attribute, entry);
  if (values === undefined) return undefined;
  const norm = (b: Buffer): string => normalizeFor('text', b.toString('utf8')) ?? '';
  const initial = filter.initial ? norm(filter.initial) : '';
  const final = filter.final ? norm(filter.final) : '';
  const any = filter.any.map(norm);
  return values.some((raw) => {
    const value = normalizeFor('text', raw) ?? '';
    if (!value.startsWith(initial)) return false;
    let pos = initial.length;
    for (const part of any) {
      const at = value.indexOf(part, pos);
      if (at < 0) return false;
      pos = at + part.length;
    }
    return value.length - final.length >= pos && value.endsWith(final);
  });
}

/** RFC 4511 extensibleMatch with the rules of matching.ts; unknown rules are Undefined. */
function extensible(filter: ExtensibleFilter, entry: Entry): Tri {
  const assertion = filter.value.toString('utf8');
  let match: ((a: string, v: string) => boolean | undefined) | undefined;
  if (filter.matchingRule) match = ruleMatcher(filter.matchingRule);
  else if (filter.attribute) {
    const syntax = syntaxOf(filter.attribute);
    match = (a, v) => {
      const x = normalizeFor(syntax, a);
      return x === undefined ? undefined : normalizeFor(syntax, v) === x;
    };
  }
  if (!match) return undefined;
  const candidates: string[] = [];
  if (filter.attribute) candidates.push(...(valuesOf(filter.attribute, entry) ?? []));
  else for (const attribute of entry.attributes.values()) candidates.push(...attribute.values);
  if (filter.dnAttributes) candidates.push(...dnValues(entry.dn, filter.attribute));
  let result: Tri = false;
  for (const value of candidates) {
    const r = match(assertion, value);
    if (r === true) return true;
    if (r === undefined) result = undefined;
  }
  return result;
}

/** Values of the DN's RDNs (for dnAttributes), optionally only those of one attribute type. */
function dnValues(dn: string, attribute: string | undefined): string[] {
  let rdns: Dn['rdns'];
  try {
    rdns = Dn.parse(dn).rdns;
  } catch {
    return [];
  }
  const key = attribute === undefined ? undefined : attributeKey(attribute);
  return rdns.flat().filter((ava) => key === undefined || attributeKey(ava.type) === key).map((ava) => ava.value);
}
