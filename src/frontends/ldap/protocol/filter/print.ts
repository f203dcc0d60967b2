// Filter AST → RFC 4515 string, escaping every byte that could be read as syntax.

import { isUtf8 } from 'node:buffer';
import type { Filter } from './types.js';

const HEX = '0123456789abcdef';

/** Escapes a value for a filter string: `* ( ) \ NUL`, controls, and non-UTF-8 bytes as `\XX`. */
export function escapeFilterValue(value: Buffer | string): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const text = isUtf8(bytes);
  let out = '';
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const special = b === 0x2a || b === 0x28 || b === 0x29 || b === 0x5c || b < 0x20 || b === 0x7f || (!text && b >= 0x80);
    if (!special) continue;
    out += bytes.toString('utf8', start, i) + '\\' + HEX[b >> 4] + HEX[b & 15];
    start = i + 1;
  }
  return out + bytes.toString('utf8', start);
}

/** Prints a filter as an RFC 4515 string; `parseFilter(filterToString(f))` gives `f` back. */
export function filterToString(f: Filter): string {
  switch (f.type) {
    case 'and':
      return `(&${f.filters.map(filterToString).join('')})`;
    case 'or':
      return `(|${f.filters.map(filterToString).join('')})`;
    case 'not':
      return `(!${filterToString(f.filter)})`;
    case 'equality':
      return `(${f.attribute}=${escapeFilterValue(f.value)})`;
    case 'greaterOrEqual':
      return `(${f.attribute}>=${escapeFilterValue(f.value)})`;
    case 'lessOrEqual':
      return `(${f.attribute}<=${escapeFilterValue(f.value)})`;
    case 'approx':
      return `(${f.attribute}~=${escapeFilterValue(f.value)})`;
    case 'present':
      return `(${f.attribute}=*)`;
    case 'substrings': {
      const middle = f.any.map((part) => escapeFilterValue(part) + '*').join('');
      const initial = f.initial ? escapeFilterValue(f.initial) : '';
      const final = f.final ? escapeFilterValue(f.final) : '';
      return `(${f.attribute}=${initial}*${middle}${final})`;
    }
    case 'extensible': {
      const dn = f.dnAttributes ? ':dn' : '';
      const rule = f.matchingRule !== undefined ? `:${f.matchingRule}` : '';
      return `(${f.attribute ?? ''}${dn}${rule}:=${escapeFilterValue(f.value)})`;
    }
  }
}
