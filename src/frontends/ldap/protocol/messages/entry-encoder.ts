// Fast path for the server's most frequent PDU: a whole SearchResultEntry message in one allocation.

import { OpTag, Tag } from '../ber/tags.js';
import { elementSize, integerSize, putIntegerContent, putLength } from '../ber/writer.js';
import type { LdapValue } from '../values.js';
import type { PartialAttribute } from './attributes.js';

/**
 * Encodes `LDAPMessage { messageId, SearchResultEntry { objectName, attributes } }`.
 * All lengths are computed first (each string measured once), then written into one Buffer:
 * no intermediate buffers, no shifting. `controlsBer` is an already encoded `[0] Controls`.
 */
export function encodeSearchResultEntryMessage(
  messageId: number,
  objectName: string,
  attributes: readonly PartialAttribute[],
  controlsBer?: Buffer,
): Buffer {
  return encodeEntry(messageId, objectName, attributes, controlsBer);
}

/** With a messageId: the whole message from the shared pool; without: the protocolOp alone, in its own memory. */
function encodeEntry(messageId: number | null, objectName: string, attributes: readonly PartialAttribute[], controlsBer?: Buffer): Buffer {
  // Pass 1: byte lengths of every string, then the nested sizes.
  const lengths: number[] = [];
  const attrContent: number[] = [];
  const setContent: number[] = [];
  let listContent = 0;
  for (const attribute of attributes) {
    const typeLen = Buffer.byteLength(attribute.type, 'utf8');
    lengths.push(typeLen);
    let vals = 0;
    for (const value of attribute.values) {
      const len = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
      lengths.push(len);
      vals += elementSize(len);
    }
    setContent.push(vals);
    const content = elementSize(typeLen) + elementSize(vals);
    attrContent.push(content);
    listContent += elementSize(content);
  }
  const dnLen = Buffer.byteLength(objectName, 'utf8');
  const entryContent = elementSize(dnLen) + elementSize(listContent);
  // Pass 2: write.
  let buf: Buffer;
  let pos = 0;
  if (messageId === null) {
    buf = keptBuffer(elementSize(entryContent));
  } else {
    const idLen = integerSize(messageId);
    const messageContent = elementSize(idLen) + elementSize(entryContent) + (controlsBer?.length ?? 0);
    buf = Buffer.allocUnsafe(elementSize(messageContent));
    buf[pos++] = Tag.sequence;
    pos = putLength(buf, pos, messageContent);
    buf[pos++] = Tag.integer;
    pos = putLength(buf, pos, idLen);
    pos = putIntegerContent(buf, pos, messageId, idLen);
  }
  buf[pos++] = OpTag.searchResultEntry;
  pos = putLength(buf, pos, entryContent);
  pos = putString(buf, pos, objectName, dnLen);
  buf[pos++] = Tag.sequence;
  pos = putLength(buf, pos, listContent);
  let li = 0;
  for (let a = 0; a < attributes.length; a++) {
    const attribute = attributes[a] as PartialAttribute;
    buf[pos++] = Tag.sequence;
    pos = putLength(buf, pos, attrContent[a] as number);
    pos = putString(buf, pos, attribute.type, lengths[li++] as number);
    buf[pos++] = Tag.set;
    pos = putLength(buf, pos, setContent[a] as number);
    for (const value of attribute.values) pos = putString(buf, pos, value, lengths[li++] as number);
  }
  if (controlsBer) pos += controlsBer.copy(buf, pos);
  return buf;
}

/**
 * Kept ops are carved from slabs of their own: an ArrayBuffer (and its tracked backing store) per
 * op costs more to make and to collect than the op itself. A slab holds only kept ops, which live
 * and die together (with the read cache's entries), so slicing pins little; the shared pool is
 * left alone, its transient messages never pin a slab.
 */
const SLAB_BYTES = 16 * 1024;
let slab: ArrayBuffer | null = null;
let slabUsed = 0;

function keptBuffer(size: number): Buffer {
  if (size > SLAB_BYTES / 4) return Buffer.allocUnsafeSlow(size);
  if (slab === null || slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const buf = Buffer.from(slab, slabUsed, size);
  slabUsed += (size + 7) & ~7;
  return buf;
}

function putString(buf: Buffer, pos: number, value: LdapValue, len: number): number {
  buf[pos++] = Tag.octetString;
  pos = putLength(buf, pos, len);
  if (typeof value === 'string') {
    // As many bytes as characters: all ASCII. Short ones are copied here, cheaper than buf.write's call into C++.
    if (len === value.length && len <= 64) for (let i = 0; i < len; i++) buf[pos + i] = value.charCodeAt(i);
    else buf.write(value, pos, len, 'utf8');
  } else value.copy(buf, pos);
  return pos + len;
}

/**
 * The SearchResultEntry protocolOp element alone (no message id), in kept-op memory (not a slice
 * of the shared pool), so it can be kept and sent again with `encodeMessageWithOp`.
 */
export function encodeSearchResultEntryOp(objectName: string, attributes: readonly PartialAttribute[]): Buffer {
  return encodeEntry(null, objectName, attributes);
}

/** `LDAPMessage { messageId, protocolOp }` around an already encoded protocolOp, without controls: one allocation, one copy. */
export function encodeMessageWithOp(messageId: number, op: Buffer): Buffer {
  const idLen = integerSize(messageId);
  const content = elementSize(idLen) + op.length;
  const buf = Buffer.allocUnsafe(elementSize(content));
  let pos = 0;
  buf[pos++] = Tag.sequence;
  pos = putLength(buf, pos, content);
  buf[pos++] = Tag.integer;
  pos = putLength(buf, pos, idLen);
  pos = putIntegerContent(buf, pos, messageId, idLen);
  op.copy(buf, pos);
  return buf;
}
