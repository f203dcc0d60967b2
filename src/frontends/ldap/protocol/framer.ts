// Incremental framer: splits a byte stream into whole LDAPMessage buffers, refusing oversize ones early.

import { ProtocolError } from './errors.js';
import { Tag } from './ber/tags.js';

/** Default cap on one LDAPMessage, header included. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

export interface FramerOptions {
  /** Largest LDAPMessage accepted, in bytes (header included). Default 1 MiB. */
  maxMessageSize?: number;
}

/**
 * Feed socket chunks with `push`, then call `next` until it returns `undefined` ("need more").
 * The size is checked from the BER header, before any body is buffered, so a client claiming a
 * 2 GB message costs nothing. After a thrown `ProtocolError` the stream is unusable: close it.
 *
 * Returned buffers may share memory with pushed chunks; do not reuse a chunk after pushing it.
 */
export class LdapFramer {
  readonly maxMessageSize: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Offset of unread data inside chunks[0]. */
  private head = 0;
  /** Total size of the message being assembled, once its header is known. */
  private expected = -1;

  constructor(options: FramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Bytes received but not yet returned as messages. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk of the stream. Empty chunks are ignored. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next whole LDAPMessage (tag, length and content), or `undefined` if more bytes are needed. */
  next(): Buffer | undefined {
    if (this.expected < 0) {
      const size = this.readHeader();
      if (size < 0) return undefined;
      this.expected = size;
    }
    if (this.buffered < this.expected) return undefined;
    const message = this.take(this.expected);
    this.expected = -1;
    return message;
  }

  /** Byte `i` of the unread stream (caller guarantees i < buffered). */
  private byteAt(i: number): number {
    let idx = i + this.head;
    for (const chunk of this.chunks) {
      if (idx < chunk.length) return chunk[idx] as number;
      idx -= chunk.length;
    }
    return -1;
  }

  /** Total message size from the header, -1 if the header is incomplete; throws if refused. */
  private readHeader(): number {
    if (this.buffered < 2) return -1;
    const tag = this.byteAt(0);
    if (tag !== Tag.sequence) {
      throw new ProtocolError('unexpectedTag', `LDAPMessage must start with 0x30, got 0x${tag.toString(16)}`);
    }
    const first = this.byteAt(1);
    let headerSize = 2;
    let len = first;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n === 0) throw new ProtocolError('indefiniteLength', 'indefinite length is not allowed in LDAP');
      if (n > 4) throw new ProtocolError('messageTooLarge', `length field of ${n} bytes`);
      if (this.buffered < 2 + n) return -1;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.byteAt(2 + i);
      headerSize += n;
    }
    const total = headerSize + len;
    if (total > this.maxMessageSize) {
      throw new ProtocolError('messageTooLarge', `message of ${total} bytes exceeds the ${this.maxMessageSize}-byte cap`);
    }
    return total;
  }

  /** Removes `size` bytes from the front; a subarray when they sit in one chunk, else one copy. */
  private take(size: number): Buffer {
    const first = this.chunks[0] as Buffer;
    let out: Buffer;
    if (first.length - this.head >= size) {
      out = first.subarray(this.head, this.head + size);
      this.head += size;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
    } else {
      out = Buffer.allocUnsafe(size);
      let written = 0;
      while (written < size) {
        const chunk = this.chunks[0] as Buffer;
        const n = Math.min(chunk.length - this.head, size - written);
        chunk.copy(out, written, this.head, this.head + n);
        written += n;
        this.head += n;
        if (this.head === chunk.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    this.buffered -= size;
    return out;
  }
}
