// RFC 4514 DN strings → RDN lists; also accepts spaces around separators and quoted values (RFC 2253 habits).

import { DnSyntaxError } from '../errors.js';
import { BerReader } from '../ber/reader.js';
import { Tag } from '../ber/tags.js';
import type { Ava, Rdn } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Characters that may follow a backslash literally (RFC 4514 `escaped` / `special`, plus space and '='). */
const ESCAPABLE = new Set([...'\\"#+,;<=> ']);
/** BER string types whose `#hex` form we turn back into text. */
const BER_STRING_TAGS = new Set<number>([Tag.octetString, Tag.utf8String, Tag.printableString, Tag.ia5String, 0x14, 0x1a]);

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Parses a DN string into RDNs, leaf first. The empty string is the root DN (no RDNs). */
export function parseRdns(input: string): Rdn[] {
  return new DnParser(input).parse();
}

class DnParser {
  private pos = 0;
  constructor(private readonly input: string) {}

  private fail(message: string): never {
    throw new DnSyntaxError(`invalid DN: ${message} at position ${this.pos}`, this.input);
  }

  private skipSpaces(): void {
    while (this.input.charCodeAt(this.pos) === 0x20) this.pos++;
  }

  parse(): Rdn[] {
    const rdns: Rdn[] = [];
    this.skipSpaces();
    if (this.pos === this.input.length) return rdns;
    let rdn: Ava[] = [];
    for (;;) {
      rdn.push(this.ava());
      this.skipSpaces();
      if (this.pos === this.input.length) break;
      const c = this.input[this.pos++];
      if (c === ',') {
        rdns.push(rdn);
        rdn = [];
      } else if (c !== '+') {
        this.pos--;
        this.fail(`unexpected '${c}'`);
      }
    }
    rdns.push(rdn);
    return rdns;
  }

  private ava(): Ava {
    this.skipSpaces();
    const type = this.attributeType();
    this.skipSpaces();
    if (this.input[this.pos] !== '=') this.fail("expected '='");
    this.pos++;
    this.skipSpaces();
    const c = this.input[this.pos];
    if (c === '#') return this.hexValue(type);
    if (c === '"') return { type, value: this.quotedValue() };
    return { type, value: this.stringValue() };
  }

  /** descr (`cn`) or numericoid (`2.5.4.3`), with an optional legacy `OID.` prefix. */
  private attributeType(): string {
    if (this.input.slice(this.pos, this.pos + 4).toLowerCase() === 'oid.') this.pos += 4;
    const start = this.pos;
    const first = this.input.charCodeAt(this.pos);
    if (isAlpha(first)) {
      this.pos++;
      for (let c = this.input.charCodeAt(this.pos); isAlpha(c) || isDigit(c) || c === 0x2d; c = this.input.charCodeAt(++this.pos));
    } else if (isDigit(first)) {
      for (let c = this.input.charCodeAt(this.pos); isDigit(c) || c === 0x2e; c = this.input.charCodeAt(++this.pos));
      const oid = this.input.slice(start, this.pos);
      if (oid.endsWith('.') || oid.includes('..')) this.fail('bad OID');
    } else {
      this.fail('expected an attribute type');
    }
    return this.input.slice(start, this.pos);
  }

  /** `#` followed by hex pairs: the BER encoding of the value. */
  private hexValue(type: string): Ava {
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      const hi = hexValue(this.input.charCodeAt(this.pos));
      if (hi < 0) break;
      const lo = hexValue(this.input.charCodeAt(this.pos + 1));
      if (lo < 0) this.fail('odd number of hex digits');
      bytes.push(hi * 16 + lo);
      this.pos += 2;
    }
    if (bytes.length === 0) this.fail('empty hex value');
    const ber = Buffer.from(bytes);
    return { type, value: berStringValue(ber) ?? '', ber };
  }

  /** Legacy `"..."` value; inside, only `\` and `"` need escaping. */
  private quotedValue(): string {
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      if (this.pos >= this.input.length) this.fail('unterminated quoted value');
      const c = this.input[this.pos] as string;
      if (c === '"') break;
      if (c === '\\') this.escape(bytes);
      else this.literal(bytes, c);
    }
    this.pos++;
    return this.decode(bytes);
  }

  /** Plain value up to an unescaped ',' or '+'; unescaped trailing spaces are not part of it. */
  private stringValue(): string {
    const bytes: number[] = [];
    let significant = 0;
    while (this.pos < this.input.length) {
      const c = this.input[this.pos] as string;
      if (c === ',' || c === '+') break;
      if (c === '\\') {
        this.escape(bytes);
        significant = bytes.length;
      } else if (c === '"' || c === ';' || c === '<' || c === '>') {
        this.fail(`unescaped '${c}' in value`);
      } else {
        this.literal(bytes, c);
        if (c !== ' ') significant = bytes.length;
      }
    }
    bytes.length = significant;
    return this.decode(bytes);
  }

  /** `\` + special character, or `\` + two hex digits (one byte of UTF-8). */
  private escape(bytes: number[]): void {
    const next = this.input[this.pos + 1];
    if (next === undefined) this.fail('dangling backslash');
    const hi = hexValue(next.charCodeAt(0));
    const lo = hexValue(this.input.charCodeAt(this.pos + 2));
    if (hi >= 0 && lo >= 0) {
      bytes.push(hi * 16 + lo);
      this.pos += 3;
    } else if (ESCAPABLE.has(next)) {
      bytes.push(next.charCodeAt(0));
      this.pos += 2;
    } else {
      this.fail(`bad escape '\\${next}'`);
    }
  }

  /** Appends one literal code point (surrogate pairs kept together) as UTF-8. */
  private literal(bytes: number[], c: string): void {
    const code = this.input.codePointAt(this.pos) as number;
    const ch = code > 0xffff ? String.fromCodePoint(code) : c;
    if (code < 0x80) bytes.push(code);
    else for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    this.pos += ch.length;
  }

  private decode(bytes: number[]): string {
    try {
      return strictUtf8.decode(Uint8Array.from(bytes));
    } catch {
      return this.fail('value is not valid UTF-8');
    }
  }
}

/** The text of a `#hex` value when it is a single BER string element, else undefined. */
function berStringValue(ber: Buffer): string | undefined {
  try {
    const r = new BerReader(ber);
    const tag = r.peekTag();
    if (!BER_STRING_TAGS.has(tag)) return undefined;
    const value = r.readOctetString(tag);
    return r.hasMore() ? undefined : strictUtf8.decode(value);
  } catch {
    return undefined;
  }
}
