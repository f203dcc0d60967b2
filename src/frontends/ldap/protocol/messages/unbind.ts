// UnbindRequest (RFC 4511 §4.3): a NULL; the server just closes the connection.

import { OpTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';

export interface UnbindRequest {
  type: 'unbindRequest';
}

export const unbindRequestCodec: OpCodec<UnbindRequest> = {
  tag: OpTag.unbindRequest,
  type: 'unbindRequest',
  decode(r) {
    r.readNull(OpTag.unbindRequest);
    return { type: 'unbindRequest' };
  },
  encode(w) {
    w.writeNull(OpTag.unbindRequest);
  },
};
