// Any protocolOp tag we do not know (or a response sent by a client): kept raw, never a crash.

import type { OpCodec } from './codec.js';

/** The server answers these with protocolError (or a Notice of Disconnection). */
export interface UnknownOp {
  type: 'unknown';
  tag: number;
  /** Raw content bytes of the element. */
  content: Buffer;
}

export const unknownOpCodec: OpCodec<UnknownOp> = {
  tag: -1,
  type: 'unknown',
  decode(r) {
    const { tag, content } = r.readElement();
    return { type: 'unknown', tag, content };
  },
  encode(w, op) {
    w.writeOctetString(op.content, op.tag);
  },
};
