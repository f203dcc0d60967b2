// CompareRequest / CompareResponse (RFC 4511 §4.10); the answer is compareTrue/compareFalse.

import { OpTag, Tag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

export interface CompareRequest {
  type: 'compareRequest';
  entry: string;
  attribute: string;
  value: Buffer;
}

export type CompareResponse = LdapResult & { type: 'compareResponse' };

export const compareRequestCodec: OpCodec<CompareRequest> = {
  tag: OpTag.compareRequest,
  type: 'compareRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.compareRequest);
    const entry = seq.readString();
    const ava = seq.readConstructed(Tag.sequence);
    const attribute = ava.readString();
    return { type: 'compareRequest', entry, attribute, value: ava.readOctetString() };
  },
  encode(w, op) {
    w.startSequence(OpTag.compareRequest);
    w.writeOctetString(op.entry);
    w.startSequence(Tag.sequence);
    w.writeOctetString(op.attribute);
    w.writeOctetString(op.value);
    w.endSequence();
    w.endSequence();
  },
};

export const compareResponseCodec = plainResultCodec('compareResponse', OpTag.compareResponse);
