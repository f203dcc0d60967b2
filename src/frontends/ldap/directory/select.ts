/**
 * Attribute selection (RFC 4511 §4.5.1.8): `*` all user attributes, `+` all operational ones,
 * `1.1` none, names matched case-insensitively. A named attribute comes back spelled as the
 * client asked for it (as OpenLDAP does), so clients that compare names exactly — Stalwart asks
 * in lowercase — find it; `*` and `+` use the canonical case.
 */
import type { Filter, PartialAttribute } from '../protocol/index.js';
import type { Needs } from './directory.js';
import { LaidOutAttributes, type Entry } from './entry.js';
import { attributeKey } from './schema.js';

export interface Selection {
  allUser: boolean;
  allOperational: boolean;
  /** Lowercased canonical key → the spelling the client used. */
  named: Map<string, string>;
  /** Equal for selections that pick the same attributes with the same spellings (keys encoded entries). */
  signature: string;
}

/** Clients send the same few attribute lists over and over (Stalwart: one per filter): parsed once each. */
const parsed = new Map<string, Selection>();
const MAX_PARSED = 256;

/** The selection for an attribute list; the result is shared and must not be changed. */
export function parseSelection(requested: readonly string[]): Selection {
  // A name holding the separator could collide with another list: not cached.
  if (requested.some((a) => a.includes('\u0000'))) return parse(requested);
  const key = requested.join('\u0000');
  let selection = parsed.get(key);
  if (selection === undefined) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, (selection = parse(requested)));
  }
  return selection;
}

function parse(requested: readonly string[]): Selection {
  const selection: Selection = { allUser: false, allOperational: false, named: new Map(), signature: '' };
  const real = requested.filter((a) => a !== '1.1');
  if (requested.length === 0) selection.allUser = true;
  for (const name of real) {
    if (name === '*') selection.allUser = true;
    else if (name === '+') selection.allOperational = true;
    else if (name.length > 0 && !selection.named.has(attributeKey(name))) selection.named.set(attributeKey(name), name);
  }
  selection.signature = `${selection.allUser ? '*' : ''}${selection.allOperational ? '+' : ''}\u0000${[...selection.named.values()].join('\u0000')}`;
  return selection;
}

export function selectAttributes(entry: Entry, selection: Selection, typesOnly: boolean): PartialAttribute[] {
  const out: PartialAttribute[] = [];
  const { attributes } = entry;
  // Only named attributes: a laid-out entry computes just those (same order as iterating it).
  if (!selection.allUser && !selection.allOperational && attributes instanceof LaidOutAttributes) {
    for (const [slot, type] of attributes.layout.picksFor(selection, selection.named)) {
      const attribute = attributes.at(slot);
      if (attribute !== undefined) out.push({ type, values: typesOnly ? [] : attribute.values });
    }
    return out;
  }
  for (const [key, attribute] of attributes) {
    const named = selection.named.get(key);
    const wanted = named !== undefined || (attribute.operational ? selection.allOperational : selection.allUser);
    if (!wanted) continue;
    out.push({ type: named ?? attribute.name, values: typesOnly ? [] : attribute.values });
  }
  return out;
}

/** Which costly attributes the filter or the selection touches. */
export function needsFor(filter: Filter, selection: Selection): Needs {
  const needs = { memberOf: selection.allUser || selection.named.has('memberof'), member: selection.allUser || selection.named.has('member') };
  if (!needs.memberOf || !needs.member) filterNeeds(filter, needs);
  return needs;
}

/** Sets what the filter's attributes touch. */
function filterNeeds(filter: Filter, needs: Needs): void {
  switch (filter.type) {
    case 'and':
    case 'or':
      for (const child of filter.filters) filterNeeds(child, needs);
      break;
    case 'not':
      filterNeeds(filter.filter, needs);
      break;
    case 'extensible':
      // Without an attribute it may match any of them.
      if (filter.attribute) touch(attributeKey(filter.attribute), needs);
      else needs.memberOf = needs.member = true;
      break;
    default:
      touch(attributeKey(filter.attribute), needs);
  }
}

function touch(key: string, needs: Needs): void {
  if (key === 'memberof') needs.memberOf = true;
  else if (key === 'member') needs.member = true;
}
