// RFC 4515 filter strings → Filter AST, for configuration, tests and logs (not the wire path).

import { FilterSyntaxError } from '../errors.js';
import { DEFAULT_MAX_FILTER_DEPTH } from './types.js';
import type { Filter, ExtensibleFilter } from './types.js';

export interface ParseFilterOptions {
  /** Nesting cap, as for decoding. Default 32. */
  maxDepth?: number;
}

/**
 * Parses an RFC 4515 filter such as `(&(objectClass=inetOrgPerson)(mail=a\2ab))`.
 * A bare item without parentheses (`uid=x`) is accepted, as ldapsearch does.
 */
export function parseFilter(input: string, options: ParseFilterOptions = {}): Filter {
  const p = new Parser(input, options.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH);
  const filter = input.startsWith('(') ? p.filter(1) : p.item(1, input.length);
  if (p.pos !== input.length) p.fail('trailing characters');
  return filter;
}

function isAttrChar(c: number): boolean {
  // ALPHA / DIGIT / '-' / '.' (numericoid) / ';' (options) / '_' (seen in the wild)
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x3b || c === 0x5f
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

class Parser {
  pos = 0;
  constructor(
    readonly input: string,
    readonly maxDepth: number,
  ) {}

  fail(message: string): never {
    throw new FilterSyntaxError(message, this.input, this.pos);
  }

  /** filter = "(" filtercomp ")" */
  filter(depth: number): Filter {
    if (depth > this.maxDepth) this.fail(`filter nested deeper than ${this.maxDepth}`);
    if (this.input[this.pos] !== '(') this.fail("expected '('");
    this.pos++;
    const c = this.input[this.pos];
    let result: Filter;
    if (c === '&' || c === '|') {
      this.pos++;
      const filters: Filter[] = [];
      while (this.input[this.pos] === '(') filters.push(this.filter(depth + 1));
      result = { type: c === '&' ? 'and' : 'or', filters };
    } else if (c === '!') {
      this.pos++;
      result = { type: 'not', filter: this.filter(depth + 1) };
    } else {
      const close = this.findClose();
      result = this.item(depth, close);
    }
    if (this.input[this.pos] !== ')') this.fail("expected ')'");
    this.pos++;
    return result;
  }

  /** End of the current item: the first ')' (values may not hold a bare ')'). */
  private findClose(): number {
    const close = this.input.indexOf(')', this.pos);
    if (close < 0) this.fail("missing ')'");
    return close;
  }

  /** item = simple / present / substring / extensible, ending at `end`. */
  item(_depth: number, end: number): Filter {
    const start = this.pos;
    while (this.pos < end && isAttrChar(this.input.charCodeAt(this.pos))) this.pos++;
    const attribute = this.input.slice(start, this.pos);
    const op = this.input[this.pos];
    if (op === ':') return this.extensible(attribute, end);
    if (attribute === '') this.fail('expected an attribute description');
    if (op === '~' || op === '>' || op === '<') {
      if (this.input[this.pos + 1] !== '=') this.fail("expected '='");
      this.pos += 2;
      const value = this.value(end, false)[0] as Buffer;
      const type = op === '~' ? 'approx' : op === '>' ? 'greaterOrEqual' : 'lessOrEqual';
      return { type, attribute, value };
    }
    if (op !== '=') this.fail("expected '=', '~=', '>=', '<=' or ':='");
    this.pos++;
    const parts = this.value(end, true);
    if (parts.length === 1) return { type: 'equality', attribute, value: parts[0] as Buffer };
    if (parts.length === 2 && parts[0]?.length === 0 && parts[1]?.length === 0) return { type: 'present', attribute };
    const initial = parts[0] as Buffer;
    const final = parts[parts.length - 1] as Buffer;
    const any = parts.slice(1, -1).filter((part) => part.length > 0);
    return {
      type: 'substrings',
      attribute,
      any,
      ...(initial.length > 0 ? { initial } : {}),
      ...(final.length > 0 ? { final } : {}),
    };
  }

  /** extensible = attr [":dn"] [":" rule] ":=" value  /  [":dn"] ":" rule ":=" value */
  private extensible(attribute: string, end: number): ExtensibleFilter {
    let dnAttributes = false;
    let matchingRule: string | undefined;
    while (this.input[this.pos] === ':' && this.input[this.pos + 1] !== '=') {
      this.pos++;
      const start = this.pos;
      while (this.pos < end && isAttrChar(this.input.charCodeAt(this.pos))) this.pos++;
      const word = this.input.slice(start, this.pos);
      if (word.toLowerCase() === 'dn' && !dnAttributes && matchingRule === undefined) dnAttributes = true;
      else if (word !== '' && matchingRule === undefined) matchingRule = word;
      else this.fail('bad extensible match');
    }
    if (this.input[this.pos] !== ':' || this.input[this.pos + 1] !== '=') this.fail("expected ':='");
    if (attribute === '' && matchingRule === undefined) this.fail('extensible match needs a type or a rule');
    this.pos += 2;
    const value = this.value(end, false)[0] as Buffer;
    const f: ExtensibleFilter = { type: 'extensible', value, dnAttributes };
    if (matchingRule !== undefined) f.matchingRule = matchingRule;
    if (attribute !== '') f.attribute = attribute;
    return f;
  }

  /** Reads an assertion value up to `end`, unescaping `\XX`; splits on '*' when allowed. */
  private value(end: number, splitStars: boolean): Buffer[] {
    const parts: Buffer[] = [];
    const bytes: number[] = [];
    let literalStart = this.pos;
    const flushLiteral = (): void => {
      if (this.pos > literalStart) for (const b of Buffer.from(this.input.slice(literalStart, this.pos), 'utf8')) bytes.push(b);
    };
    while (this.pos < end) {
      const c = this.input.charCodeAt(this.pos);
      if (c === 0x5c) {
        flushLiteral();
        const hi = hexValue(this.input.charCodeAt(this.pos + 1));
        const lo = hexValue(this.input.charCodeAt(this.pos + 2));
        if (hi < 0 || lo < 0 || this.pos + 2 >= end) this.fail('bad escape, expected \\XX');
        bytes.push(hi * 16 + lo);
        this.pos += 3;
        literalStart = this.pos;
      } else if (c === 0x2a) {
        if (!splitStars) this.fail("unescaped '*'");
        flushLiteral();
        parts.push(Buffer.from(bytes));
        bytes.length = 0;
        this.pos++;
        literalStart = this.pos;
      } else if (c === 0x28 || c === 0x29 || c === 0) {
        this.fail('unescaped special character in value');
      } else {
        this.pos++;
      }
    }
    flushLiteral();
    parts.push(Buffer.from(bytes));
    return parts;
  }
}
