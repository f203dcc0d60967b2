// ExtendedRequest / ExtendedResponse (RFC 4511 §4.12); typed helpers live in ../extended/.

import { OpTag, contextTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { readResultFields, writeResultFields } from './result.js';
import type { LdapResult } from './result.js';

const REQUEST_NAME_TAG = contextTag(0);
const REQUEST_VALUE_TAG = contextTag(1);
const RESPONSE_NAME_TAG = contextTag(10);
const RESPONSE_VALUE_TAG = contextTag(11);

export interface ExtendedRequest {
  type: 'extendedRequest';
  /** The operation's OID. */
  requestName: string;
  requestValue?: Buffer;
}

export interface ExtendedResponse extends LdapResult {
  type: 'extendedResponse';
  responseName?: string;
  responseValue?: Buffer;
}

export const extendedRequestCodec: OpCodec<ExtendedRequest> = {
  tag: OpTag.extendedRequest,
  type: 'extendedRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.extendedRequest);
    const op: ExtendedRequest = { type: 'extendedRequest', requestName: seq.readString(REQUEST_NAME_TAG) };
    if (seq.peekTag() === REQUEST_VALUE_TAG) op.requestValue = seq.readOctetString(REQUEST_VALUE_TAG);
    return op;
  },
  encode(w, op) {
    w.startSequence(OpTag.extendedRequest);
    w.writeOctetString(op.requestName, REQUEST_NAME_TAG);
    if (op.requestValue !== undefined) w.writeOctetString(op.requestValue, REQUEST_VALUE_TAG);
    w.endSequence();
  },
};

export const extendedResponseCodec: OpCodec<ExtendedResponse> = {
  tag: OpTag.extendedResponse,
  type: 'extendedResponse',
  decode(r) {
    const seq = r.readConstructed(OpTag.extendedResponse);
    const op: ExtendedResponse = { type: 'extendedResponse', ...readResultFields(seq) };
    if (seq.peekTag() === RESPONSE_NAME_TAG) op.responseName = seq.readString(RESPONSE_NAME_TAG);
    if (seq.peekTag() === RESPONSE_VALUE_TAG) op.responseValue = seq.readOctetString(RESPONSE_VALUE_TAG);
    return op;
  },
  encode(w, op) {
    w.startSequence(OpTag.extendedResponse);
    writeResultFields(w, op);
    if (op.responseName !== undefined) w.writeOctetString(op.responseName, RESPONSE_NAME_TAG);
    if (op.responseValue !== undefined) w.writeOctetString(op.responseValue, RESPONSE_VALUE_TAG);
    w.endSequence();
  },
};
