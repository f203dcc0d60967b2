/** Value matching per syntax (RFC 4517, simplified): what equality, ordering and substrings compare. */
import { normalizeDn, normalizeValue } from '../protocol/index.js';
import { parseGeneralizedTime } from './entry.js';
import type { Syntax } from './schema.js';

/** The comparable form of a value, or undefined when it is not valid for the syntax. */
export function normalizeFor(syntax: Syntax, value: string): string | undefined {
  switch (syntax) {
    case 'text':
      return normalizeValue(value);
    case 'dn':
      try {
        return normalizeDn(value);
      } catch {
        return undefined;
      }
    case 'time': {
      const ms = parseGeneralizedTime(value);
      return Number.isNaN(ms) ? undefined : String(ms);
    }
    case 'boolean': {
      const upper = value.trim().toUpperCase();
      return upper === 'TRUE' || upper === 'FALSE' ? upper : undefined;
    }
    case 'integer':
      return /^\s*-?\d+\s*$/.test(value) ? BigInt(value.trim()).toString() : undefined;
  }
}

/** a <=> b for ordering filters; undefined when the syntax has no ordering or a value is invalid. */
export function compareFor(syntax: Syntax, a: string, b: string): number | undefined {
  const x = normalizeFor(syntax, a);
  const y = normalizeFor(syntax, b);
  if (x === undefined || y === undefined) return undefined;
  switch (syntax) {
    case 'time':
      return Number(x) - Number(y);
    case 'integer': {
      const d = BigInt(x) - BigInt(y);
      return d === 0n ? 0 : d < 0n ? -1 : 1;
    }
    case 'text':
      return x < y ? -1 : x > y ? 1 : 0;
    default:
      return undefined;
  }
}

/** Matching rules accepted in extensible filters, by OID and name, mapped to a syntax or exact match. */
const RULES: Record<string, Syntax | 'exact'> = {
  '2.5.13.2': 'text', caseignorematch: 'text',
  '1.3.6.1.4.1.1466.109.114.2': 'text', caseignoreia5match: 'text',
  '2.5.13.5': 'exact', caseexactmatch: 'exact',
  '1.3.6.1.4.1.1466.109.114.1': 'exact', caseexactia5match: 'exact',
  '2.5.13.17': 'exact', octetstringmatch: 'exact',
  '2.5.13.1': 'dn', distinguishednamematch: 'dn',
  '2.5.13.13': 'boolean', booleanmatch: 'boolean',
  '2.5.13.14': 'integer', integermatch: 'integer',
  '2.5.13.27': 'time', generalizedtimematch: 'time',
};

/** The matcher for a rule name or OID; undefined for rules we do not implement. */
export function ruleMatcher(rule: string): ((assertion: string, value: string) => boolean | undefined) | undefined {
  const kind = RULES[rule.toLowerCase()];
  if (kind === undefined) return undefined;
  if (kind === 'exact') return (assertion, value) => assertion === value;
  return (assertion, value) => {
    const a = normalizeFor(kind, assertion);
    if (a === undefined) return undefined;
    return normalizeFor(kind, value) === a;
  };
}
