/** Builds the response op that answers a request type with a plain LDAPResult. */
import type { ProtocolOp } from '../protocol/index.js';
import type { Reply } from '../session.js';

const RESPONSE_OF = {
  bindRequest: 'bindResponse',
  searchRequest: 'searchResultDone',
  modifyRequest: 'modifyResponse',
  addRequest: 'addResponse',
  delRequest: 'delResponse',
  modifyDNRequest: 'modifyDNResponse',
  compareRequest: 'compareResponse',
  extendedRequest: 'extendedResponse',
} as const;

export type AnswerableRequest = keyof typeof RESPONSE_OF;

export function isAnswerable(type: string): type is AnswerableRequest {
  return type in RESPONSE_OF;
}

export function result(request: AnswerableRequest, resultCode: number, diagnosticMessage = '', matchedDN = ''): Reply {
  const op = { type: RESPONSE_OF[request], resultCode, matchedDN, diagnosticMessage } as ProtocolOp;
  return { op };
}
