/**
 * Attribute selection (RFC 4511 §4.5.1.8): `*` all user attributes, `+` all operational ones,
 * `1.1` none, names matched case-insensitively. A named attribute comes back spelled as the
 * client asked for it (as OpenLDAP does), so clients that compare names exactly — Stalwart asks
 * in lowercase — find it; `*` and `+` use the canonical case.
 */
import type { Filter, PartialAttribute } from '../protocol/index.js';
import type { Needs } from './directory.js';
import type { Entry } from './entry.js';
import { attributeKey } from './schema.js';

export interface Selection {
  allUser: boolean;
  allOperational: boolean;
  /** Lowercased canonical key → the spelling the client used. */
  named: Map<string, string>;
  /** Equal for selections that pick the same attributes with the same spellings (keys encoded entries). */
  signature: string;
}

export function parseSelection(requested: readonly string[]): Selection {
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
  for (const [key, attribute] of entry.attributes) {
    const named = selection.named.get(key);
    const wanted = named !== undefined || (attribute.operational ? selection.allOperational : selection.allUser);
    if (!wanted) continue;
    out.push({ type: named ?? attribute.name, values: typesOnly ? [] : attribute.values });
  }
  return out;
}

/** Which costly attributes the filter or the selection touches. */
export function needsFor(filter: Filter, selection: Selection): Needs {
  const inFilter = filterAttributes(filter);
  const wants = (key: string): boolean => selection.allUser || selection.named.has(key) || inFilter.has(key);
  return { memberOf: wants('memberof'), member: wants('member') };
}

function filterAttributes(filter: Filter, into = new Set<string>()): Set<string> {
  switch (filter.type) {
    case 'and':
    case 'or':
      for (const child of filter.filters) filterAttributes(child, into);
      break;
    case 'not':
      filterAttributes(filter.filter, into);
      break;
    case 'extensible':
      // Without an attribute it may match any of them.
      if (filter.attribute) into.add(attributeKey(filter.attribute));
      else into.add('memberof').add('member');
      break;
    default:
      into.add(attributeKey(filter.attribute));
  }
  return into;
}
