// Filter ⇄ BER (RFC 4511 §4.5.1.7), with the nesting depth capped while decoding.

import type { BerReader } from '../ber/reader.js';
import type { BerWriter } from '../ber/writer.js';
import { Tag, contextTag, contextConstructed } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import { DEFAULT_MAX_FILTER_DEPTH } from './types.js';
import type { Filter, AssertionFilter, SubstringsFilter, ExtensibleFilter } from './types.js';

const FilterTag = {
  and: contextConstructed(0),
  or: contextConstructed(1),
  not: contextConstructed(2),
  equality: contextConstructed(3),
  substrings: contextConstructed(4),
  greaterOrEqual: contextConstructed(5),
  lessOrEqual: contextConstructed(6),
  present: contextTag(7),
  approx: contextConstructed(8),
  extensible: contextConstructed(9),
} as const;

const SUB_INITIAL = contextTag(0);
const SUB_ANY = contextTag(1);
const SUB_FINAL = contextTag(2);
const MRA_RULE = contextTag(1);
const MRA_TYPE = contextTag(2);
const MRA_VALUE = contextTag(3);
const MRA_DN = contextTag(4);

/**
 * Decodes one Filter at the reader's position. Recursion is bounded by `maxDepth`, so a
 * hostile `(!(!(!...)))` fails with `filterTooDeep` instead of exhausting the stack.
 */
export function decodeFilter(r: BerReader, maxDepth: number = DEFAULT_MAX_FILTER_DEPTH): Filter {
  return decodeAt(r, 1, maxDepth);
}

function decodeAt(r: BerReader, depth: number, maxDepth: number): Filter {
  if (depth > maxDepth) throw new ProtocolError('filterTooDeep', `filter nested deeper than ${maxDepth}`);
  const tag = r.peekTag();
  switch (tag) {
    case FilterTag.and:
    case FilterTag.or: {
      const set = r.readConstructed(tag);
      const filters: Filter[] = [];
      while (set.hasMore()) filters.push(decodeAt(set, depth + 1, maxDepth));
      return { type: tag === FilterTag.and ? 'and' : 'or', filters };
    }
    case FilterTag.not: {
      const inner = r.readConstructed(tag);
      const filter = decodeAt(inner, depth + 1, maxDepth);
      if (inner.hasMore()) throw new ProtocolError('malformed', 'not filter holds more than one filter');
      return { type: 'not', filter };
    }
    case FilterTag.equality:
      return decodeAssertion(r, tag, 'equality');
    case FilterTag.greaterOrEqual:
      return decodeAssertion(r, tag, 'greaterOrEqual');
    case FilterTag.lessOrEqual:
      return decodeAssertion(r, tag, 'lessOrEqual');
    case FilterTag.approx:
      return decodeAssertion(r, tag, 'approx');
    case FilterTag.substrings:
      return decodeSubstrings(r);
    case FilterTag.present:
      return { type: 'present', attribute: r.readString(FilterTag.present) };
    case FilterTag.extensible:
      return decodeExtensible(r);
    default:
      throw new ProtocolError('unexpectedTag', `unknown filter choice 0x${tag.toString(16)}`);
  }
}

function decodeAssertion(r: BerReader, tag: number, type: AssertionFilter['type']): AssertionFilter {
  const seq = r.readConstructed(tag);
  const attribute = seq.readString();
  return { type, attribute, value: seq.readOctetString() };
}

function decodeSubstrings(r: BerReader): SubstringsFilter {
  const seq = r.readConstructed(FilterTag.substrings);
  const filter: SubstringsFilter = { type: 'substrings', attribute: seq.readString(), any: [] };
  const parts = seq.readConstructed(Tag.sequence);
  let count = 0;
  while (parts.hasMore()) {
    const tag = parts.peekTag();
    const value = parts.readOctetString(tag);
    // RFC 4511: initial only first, final only last, each at most once.
    if (tag === SUB_INITIAL && count === 0) filter.initial = value;
    else if (tag === SUB_ANY && filter.final === undefined) filter.any.push(value);
    else if (tag === SUB_FINAL && filter.final === undefined) filter.final = value;
    else throw new ProtocolError('malformed', 'substrings out of order');
    count++;
  }
  if (count === 0) throw new ProtocolError('malformed', 'substrings filter without substrings');
  return filter;
}

function decodeExtensible(r: BerReader): ExtensibleFilter {
  const seq = r.readConstructed(FilterTag.extensible);
  let matchingRule: string | undefined;
  let attribute: string | undefined;
  if (seq.peekTag() === MRA_RULE) matchingRule = seq.readString(MRA_RULE);
  if (seq.peekTag() === MRA_TYPE) attribute = seq.readString(MRA_TYPE);
  const filter: ExtensibleFilter = { type: 'extensible', value: seq.readOctetString(MRA_VALUE), dnAttributes: false };
  if (seq.peekTag() === MRA_DN) filter.dnAttributes = seq.readBoolean(MRA_DN);
  if (matchingRule !== undefined) filter.matchingRule = matchingRule;
  if (attribute !== undefined) filter.attribute = attribute;
  return filter;
}

/** Encodes a Filter. */
export function encodeFilter(w: BerWriter, f: Filter): void {
  switch (f.type) {
    case 'and':
    case 'or':
      w.startSequence(FilterTag[f.type]);
      for (const sub of f.filters) encodeFilter(w, sub);
      w.endSequence();
      return;
    case 'not':
      w.startSequence(FilterTag.not);
      encodeFilter(w, f.filter);
      w.endSequence();
      return;
    case 'equality':
    case 'greaterOrEqual':
    case 'lessOrEqual':
    case 'approx':
      w.startSequence(FilterTag[f.type]);
      w.writeOctetString(f.attribute);
      w.writeOctetString(f.value);
      w.endSequence();
      return;
    case 'substrings':
      w.startSequence(FilterTag.substrings);
      w.writeOctetString(f.attribute);
      w.startSequence(Tag.sequence);
      if (f.initial !== undefined) w.writeOctetString(f.initial, SUB_INITIAL);
      for (const part of f.any) w.writeOctetString(part, SUB_ANY);
      if (f.final !== undefined) w.writeOctetString(f.final, SUB_FINAL);
      w.endSequence();
      w.endSequence();
      return;
    case 'present':
      w.writeOctetString(f.attribute, FilterTag.present);
      return;
    case 'extensible':
      w.startSequence(FilterTag.extensible);
      if (f.matchingRule !== undefined) w.writeOctetString(f.matchingRule, MRA_RULE);
      if (f.attribute !== undefined) w.writeOctetString(f.attribute, MRA_TYPE);
      w.writeOctetString(f.value, MRA_VALUE);
      if (f.dnAttributes) w.writeBoolean(true, MRA_DN);
      w.endSequence();
      return;
  }
}
