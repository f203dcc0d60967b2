// Simple Paged Results control (RFC 2696): realSearchControlValue { size, cookie }.

import { BerReader } from '../ber/reader.js';
import { BerWriter } from '../ber/writer.js';
import { Tag } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import type { Control } from '../messages/controls.js';

export const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';

export interface PagedResults {
  /** Request: page size wanted. Response: server's estimate of the total (0 if unknown). */
  size: number;
  /** Opaque; empty on the first request and on the last response. */
  cookie: Buffer;
}

/** Decodes the control's value; throws `ProtocolError` if it is missing or malformed. */
export function decodePagedResults(control: Control): PagedResults {
  if (control.value === undefined) throw new ProtocolError('malformed', 'paged results control without value');
  const outer = new BerReader(control.value);
  const seq = outer.readConstructed(Tag.sequence);
  const size = seq.readInteger();
  if (size < 0 || size > 0x7fffffff) throw new ProtocolError('integerOverflow', `paged results size ${size}`);
  return { size, cookie: seq.readOctetString() };
}

/** Builds the control (for a response, or a test client's request). */
export function encodePagedResults(value: PagedResults, critical = false): Control {
  const w = new BerWriter(16 + value.cookie.length);
  w.startSequence(Tag.sequence);
  w.writeInteger(value.size);
  w.writeOctetString(value.cookie);
  w.endSequence();
  return { type: PAGED_RESULTS_OID, critical, value: w.toBuffer() };
}

/** The paged results control among `controls`, if any. */
export function findControl(controls: readonly Control[], oid: string): Control | undefined {
  return controls.find((control) => control.type === oid);
}
