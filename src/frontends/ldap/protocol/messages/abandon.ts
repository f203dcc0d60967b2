// AbandonRequest (RFC 4511 §4.11): the messageID to stop; it never gets a response.

import { OpTag } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import type { OpCodec } from './codec.js';

export interface AbandonRequest {
  type: 'abandonRequest';
  abandonId: number;
}

export const abandonRequestCodec: OpCodec<AbandonRequest> = {
  tag: OpTag.abandonRequest,
  type: 'abandonRequest',
  decode(r) {
    const abandonId = r.readInteger(OpTag.abandonRequest);
    if (abandonId < 0 || abandonId > 0x7fffffff) throw new ProtocolError('integerOverflow', `abandon id ${abandonId}`);
    return { type: 'abandonRequest', abandonId };
  },
  encode(w, op) {
    w.writeInteger(op.abandonId, OpTag.abandonRequest);
  },
};
