// The search filter AST (RFC 4511 §4.5.1.7). Values are raw bytes: client data, never re-parsed.

export interface AndFilter {
  type: 'and';
  /** Empty means absolute true (RFC 4526). */
  filters: Filter[];
}

export interface OrFilter {
  type: 'or';
  /** Empty means absolute false (RFC 4526). */
  filters: Filter[];
}

export interface NotFilter {
  type: 'not';
  filter: Filter;
}

/** equalityMatch, greaterOrEqual, lessOrEqual, approxMatch: an attribute value assertion. */
export interface AssertionFilter {
  type: 'equality' | 'greaterOrEqual' | 'lessOrEqual' | 'approx';
  /** AttributeDescription as sent (compare case-insensitively). */
  attribute: string;
  value: Buffer;
}

export interface SubstringsFilter {
  type: 'substrings';
  attribute: string;
  initial?: Buffer;
  any: Buffer[];
  final?: Buffer;
}

export interface PresentFilter {
  type: 'present';
  attribute: string;
}

export interface ExtensibleFilter {
  type: 'extensible';
  matchingRule?: string;
  attribute?: string;
  value: Buffer;
  dnAttributes: boolean;
}

export type Filter =
  | AndFilter
  | OrFilter
  | NotFilter
  | AssertionFilter
  | SubstringsFilter
  | PresentFilter
  | ExtensibleFilter;

/** Default cap on filter nesting (and/or/not levels), against stack exhaustion. */
export const DEFAULT_MAX_FILTER_DEPTH = 32;
