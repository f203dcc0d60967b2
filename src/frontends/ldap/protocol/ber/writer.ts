// Growable BER writer: definite minimal lengths, sequences closed by shifting content in place.

import { Tag } from './tags.js';

/** Bytes needed to encode a definite length `len` (the length octets only). */
export function lengthOfLength(len: number): number {
  if (len < 0x80) return 1;
  if (len < 0x100) return 2;
  if (len < 0x10000) return 3;
  if (len < 0x1000000) return 4;
  return 5;
}

/** Total size of an element (tag + length octets + content) with a single-byte tag. */
export function elementSize(contentLength: number): number {
  return 1 + lengthOfLength(contentLength) + contentLength;
}

/** Content bytes of a minimal two's-complement INTEGER. */
export function integerSize(value: number): number {
  let n = 1;
  // Each extra byte doubles the range by 256; compare against the signed bound for `n` bytes.
  while (n < 7 && (value >= 2 ** (8 * n - 1) || value < -(2 ** (8 * n - 1)))) n++;
  return n;
}

/** Writes `len` as definite length octets at `pos` in `buf`; returns the next position. */
export function putLength(buf: Buffer, pos: number, len: number): number {
  if (len < 0x80) {
    buf[pos] = len;
    return pos + 1;
  }
  const n = lengthOfLength(len) - 1;
  buf[pos++] = 0x80 | n;
  for (let i = n - 1; i >= 0; i--) buf[pos++] = Math.floor(len / 2 ** (8 * i)) & 0xff;
  return pos;
}

/** Writes an INTEGER's content (minimal two's complement) at `pos`; returns the next position. */
export function putIntegerContent(buf: Buffer, pos: number, value: number, size: number): number {
  if (size <= 6) {
    buf.writeIntBE(value, pos, size);
    return pos + size;
  }
  // 7 bytes only for |value| >= 2^47: BigInt keeps the two's complement exact.
  let v = BigInt.asUintN(8 * size, BigInt(value));
  for (let i = size - 1; i >= 0; i--) {
    buf[pos + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return pos + size;
}

/**
 * Builds one BER encoding. `startSequence` reserves one length byte; `endSequence` shifts the
 * content right when the length needs more, so nested writes stay single-pass.
 */
export class BerWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly open: number[] = [];

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private header(tag: number, len: number): void {
    this.ensure(1 + lengthOfLength(len) + len);
    this.buf[this.pos++] = tag;
    this.pos = putLength(this.buf, this.pos, len);
  }

  /** Opens a constructed element; close it with `endSequence`. */
  startSequence(tag: number = Tag.sequence): void {
    this.ensure(2);
    this.buf[this.pos++] = tag;
    this.open.push(this.pos);
    this.pos++; // one length byte reserved
  }

  /** Closes the innermost open constructed element. */
  endSequence(): void {
    const lenPos = this.open.pop();
    if (lenPos === undefined) throw new Error('BerWriter: endSequence without startSequence');
    const contentStart = lenPos + 1;
    const len = this.pos - contentStart;
    const extra = lengthOfLength(len) - 1;
    if (extra > 0) {
      this.ensure(extra);
      this.buf.copyWithin(contentStart + extra, contentStart, this.pos);
      this.pos += extra;
    }
    putLength(this.buf, lenPos, len);
  }

  writeInteger(value: number, tag: number = Tag.integer): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`BerWriter: ${value} is not a safe integer`);
    const size = integerSize(value);
    this.header(tag, size);
    this.pos = putIntegerContent(this.buf, this.pos, value, size);
  }

  writeEnumerated(value: number, tag: number = Tag.enumerated): void {
    this.writeInteger(value, tag);
  }

  writeBoolean(value: boolean, tag: number = Tag.boolean): void {
    this.header(tag, 1);
    this.buf[this.pos++] = value ? 0xff : 0x00;
  }

  writeNull(tag: number = Tag.null): void {
    this.header(tag, 0);
  }

  /** Writes an octet string from bytes, or from text as UTF-8 without an intermediate Buffer. */
  writeOctetString(value: Buffer | string, tag: number = Tag.octetString): void {
    if (typeof value === 'string') {
      const len = Buffer.byteLength(value, 'utf8');
      this.header(tag, len);
      this.pos += this.buf.write(value, this.pos, len, 'utf8');
    } else {
      this.header(tag, value.length);
      value.copy(this.buf, this.pos);
      this.pos += value.length;
    }
  }

  /** Appends already-encoded BER bytes. */
  writeRaw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
  }

  /** The encoding so far; shares memory with the writer (which must not be reused after). */
  toBuffer(): Buffer {
    if (this.open.length > 0) throw new Error('BerWriter: unclosed sequence');
    return this.buf.subarray(0, this.pos);
  }
}
