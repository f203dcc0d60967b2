// AddRequest / AddResponse (RFC 4511 §4.7): decoded so the server can refuse it properly.

import { OpTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { readAttributeList, writeAttributeList } from './attributes.js';
import type { PartialAttribute } from './attributes.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

export interface AddRequest {
  type: 'addRequest';
  entry: string;
  attributes: PartialAttribute[];
}

export type AddResponse = LdapResult & { type: 'addResponse' };

export const addRequestCodec: OpCodec<AddRequest> = {
  tag: OpTag.addRequest,
  type: 'addRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.addRequest);
    const entry = seq.readString();
    return { type: 'addRequest', entry, attributes: readAttributeList(seq) };
  },
  encode(w, op) {
    w.startSequence(OpTag.addRequest);
    w.writeOctetString(op.entry);
    writeAttributeList(w, op.attributes);
    w.endSequence();
  },
};

export const addResponseCodec = plainResultCodec('addResponse', OpTag.addResponse);
