// DelRequest / DelResponse (RFC 4511 §4.8): the request is a bare primitive LDAPDN.

import { OpTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

export interface DelRequest {
  type: 'delRequest';
  entry: string;
}

export type DelResponse = LdapResult & { type: 'delResponse' };

export const delRequestCodec: OpCodec<DelRequest> = {
  tag: OpTag.delRequest,
  type: 'delRequest',
  decode(r) {
    return { type: 'delRequest', entry: r.readString(OpTag.delRequest) };
  },
  encode(w, op) {
    w.writeOctetString(op.entry, OpTag.delRequest);
  },
};

export const delResponseCodec = plainResultCodec('delResponse', OpTag.delResponse);
