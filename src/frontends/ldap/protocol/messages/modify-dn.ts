// ModifyDNRequest / ModifyDNResponse (RFC 4511 §4.9): decoded so the server can refuse it properly.

import { OpTag, contextTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

const NEW_SUPERIOR_TAG = contextTag(0);

export interface ModifyDNRequest {
  type: 'modifyDNRequest';
  entry: string;
  newRdn: string;
  deleteOldRdn: boolean;
  newSuperior?: string;
}

export type ModifyDNResponse = LdapResult & { type: 'modifyDNResponse' };

export const modifyDNRequestCodec: OpCodec<ModifyDNRequest> = {
  tag: OpTag.modifyDNRequest,
  type: 'modifyDNRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.modifyDNRequest);
    const op: ModifyDNRequest = {
      type: 'modifyDNRequest',
      entry: seq.readString(),
      newRdn: seq.readString(),
      deleteOldRdn: seq.readBoolean(),
    };
    if (seq.peekTag() === NEW_SUPERIOR_TAG) op.newSuperior = seq.readString(NEW_SUPERIOR_TAG);
    return op;
  },
  encode(w, op) {
    w.startSequence(OpTag.modifyDNRequest);
    w.writeOctetString(op.entry);
    w.writeOctetString(op.newRdn);
    w.writeBoolean(op.deleteOldRdn);
    if (op.newSuperior !== undefined) w.writeOctetString(op.newSuperior, NEW_SUPERIOR_TAG);
    w.endSequence();
  },
};

export const modifyDNResponseCodec = plainResultCodec('modifyDNResponse', OpTag.modifyDNResponse);
