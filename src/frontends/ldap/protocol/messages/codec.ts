// The shared base of every protocolOp module: a tag, and a matched decode/encode pair.

import type { BerReader } from '../ber/reader.js';
import type { BerWriter } from '../ber/writer.js';

/**
 * Codec of one protocolOp. `decode` receives a reader positioned on the op's tag (it reads the
 * whole element); `encode` writes the whole element, tag included.
 */
export interface OpCodec<T extends { type: string }> {
  readonly tag: number;
  readonly type: T['type'];
  decode(reader: BerReader): T;
  encode(writer: BerWriter, op: T): void;
}
