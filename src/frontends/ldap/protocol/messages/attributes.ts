// PartialAttribute / Attribute lists (RFC 4511 §4.1.7), shared by add, modify and search entries.

import type { BerReader } from '../ber/reader.js';
import type { BerWriter } from '../ber/writer.js';
import { Tag } from '../ber/tags.js';
import type { LdapValue } from '../values.js';

export interface PartialAttribute {
  /** AttributeDescription as sent; compare case-insensitively. */
  type: string;
  /** Decoded values are Buffers; encoding accepts Buffers or strings (sent as UTF-8). */
  values: readonly LdapValue[];
}

/** Reads one `SEQUENCE { type, vals SET OF value }`. */
export function readPartialAttribute(r: BerReader): PartialAttribute {
  const seq = r.readConstructed(Tag.sequence);
  const type = seq.readString();
  const set = seq.readConstructed(Tag.set);
  const values: Buffer[] = [];
  while (set.hasMore()) values.push(set.readOctetString());
  return { type, values };
}

/** Reads `SEQUENCE OF PartialAttribute`. */
export function readAttributeList(r: BerReader): PartialAttribute[] {
  const seq = r.readConstructed(Tag.sequence);
  const list: PartialAttribute[] = [];
  while (seq.hasMore()) list.push(readPartialAttribute(seq));
  return list;
}

export function writePartialAttribute(w: BerWriter, attribute: PartialAttribute): void {
  w.startSequence(Tag.sequence);
  w.writeOctetString(attribute.type);
  w.startSequence(Tag.set);
  for (const value of attribute.values) w.writeOctetString(value);
  w.endSequence();
  w.endSequence();
}

export function writeAttributeList(w: BerWriter, list: readonly PartialAttribute[]): void {
  w.startSequence(Tag.sequence);
  for (const attribute of list) writePartialAttribute(w, attribute);
  w.endSequence();
}
