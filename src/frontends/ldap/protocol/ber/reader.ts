// Zero-copy BER reader over a Buffer window; every read is bounds-checked and fails typed.

import { ProtocolError } from '../errors.js';
import { Tag } from './tags.js';

/** Largest length field accepted (4 bytes); callers cap whole messages far lower. */
const MAX_LENGTH_BYTES = 4;

/**
 * Reads BER elements from `buf[start, end)`. Constructed elements are read by `readConstructed`,
 * which returns a child reader over the same memory (no copy). Octet strings are `subarray`s:
 * they share memory with the input buffer, so callers that keep them must not reuse the input.
 */
export class BerReader {
  readonly buf: Buffer;
  offset: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.offset = start;
    this.end = end;
  }

  /** True while unread bytes remain in this window. */
  hasMore(): boolean {
    return this.offset < this.end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** The next tag without consuming it; -1 at the end of the window. */
  peekTag(): number {
    if (this.offset >= this.end) return -1;
    return this.buf[this.offset] as number;
  }

  /** Reads a tag byte, refusing high-tag-number form. */
  readTag(): number {
    if (this.offset >= this.end) throw new ProtocolError('truncated', 'expected a tag, input ended');
    const tag = this.buf[this.offset++] as number;
    if ((tag & 0x1f) === 0x1f) throw new ProtocolError('unsupportedTag', `multi-byte tag 0x${tag.toString(16)}`);
    return tag;
  }

  /** Reads a definite length and checks the content fits in this window. */
  readLength(): number {
    if (this.offset >= this.end) throw new ProtocolError('truncated', 'expected a length, input ended');
    const first = this.buf[this.offset++] as number;
    let len = first;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n === 0) throw new ProtocolError('indefiniteLength', 'indefinite length is not allowed in LDAP');
      if (n > MAX_LENGTH_BYTES) throw new ProtocolError('lengthTooLarge', `length field of ${n} bytes`);
      if (this.offset + n > this.end) throw new ProtocolError('truncated', 'length field truncated');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (this.buf[this.offset++] as number);
    }
    if (len > this.end - this.offset) {
      throw new ProtocolError('truncated', `element of ${len} bytes exceeds the ${this.end - this.offset} available`);
    }
    return len;
  }

  /** Reads a tag, checks it and returns the content length. */
  private expect(tag: number): number {
    const got = this.readTag();
    if (got !== tag) {
      throw new ProtocolError('unexpectedTag', `expected tag 0x${tag.toString(16)}, got 0x${got.toString(16)}`);
    }
    return this.readLength();
  }

  /** Enters a constructed element with the given tag and returns a reader over its content. */
  readConstructed(tag: number = Tag.sequence): BerReader {
    const len = this.expect(tag);
    const child = new BerReader(this.buf, this.offset, this.offset + len);
    this.offset += len;
    return child;
  }

  /** Reads a primitive element with the given tag and returns its content (no copy). */
  readOctetString(tag: number = Tag.octetString): Buffer {
    const len = this.expect(tag);
    const start = this.offset;
    this.offset += len;
    return this.buf.subarray(start, this.offset);
  }

  /** Reads an octet string as UTF-8 text (LDAPString, LDAPDN, LDAPOID). */
  readString(tag: number = Tag.octetString): string {
    const len = this.expect(tag);
    const start = this.offset;
    this.offset += len;
    return this.buf.toString('utf8', start, this.offset);
  }

  /** Reads an INTEGER (or any integer-shaped tag); refuses values outside the safe range. */
  readInteger(tag: number = Tag.integer): number {
    const len = this.expect(tag);
    if (len === 0) throw new ProtocolError('malformed', 'zero-length integer');
    if (len > 7) throw new ProtocolError('integerOverflow', `integer of ${len} bytes`);
    const start = this.offset;
    this.offset += len;
    if (len <= 6) return this.buf.readIntBE(start, len);
    // 7 bytes: exact via BigInt, then refuse anything past 2^53.
    const big = BigInt.asIntN(56, this.buf.readBigUInt64BE(start - 1) & 0xffffffffffffffn);
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtocolError('integerOverflow', 'integer outside the safe range');
    }
    return Number(big);
  }

  /** Reads an ENUMERATED value. */
  readEnumerated(tag: number = Tag.enumerated): number {
    return this.readInteger(tag);
  }

  /** Reads a BOOLEAN; any non-zero octet is true (BER, not DER). */
  readBoolean(tag: number = Tag.boolean): boolean {
    const len = this.expect(tag);
    if (len !== 1) throw new ProtocolError('malformed', `boolean of ${len} bytes`);
    return this.buf[this.offset++] !== 0;
  }

  /** Reads a NULL (or any empty primitive with this tag). */
  readNull(tag: number = Tag.null): void {
    const len = this.expect(tag);
    // Tolerate content (skip it): some clients send garbage in unbind's NULL, and it carries no data.
    this.offset += len;
  }

  /** Reads any element and returns its tag and content (no copy). */
  readElement(): { tag: number; content: Buffer } {
    const tag = this.readTag();
    const len = this.readLength();
    const start = this.offset;
    this.offset += len;
    return { tag, content: this.buf.subarray(start, this.offset) };
  }

  /** Skips the next element whatever it is (for ignorable extensions). */
  skipElement(): void {
    this.readTag();
    this.offset += this.readLength();
  }
}
