// OIDs of the extended operations the server handles, and builders for their simple responses.

import { ResultCode } from '../result-codes.js';
import type { LdapMessage } from '../messages/message.js';
import type { ExtendedResponse } from '../messages/extended.js';

export const ExtendedOid = {
  /** RFC 4532 "Who am I?". */
  whoAmI: '1.3.6.1.4.1.4203.1.11.3',
  /** RFC 4511 §4.14 StartTLS. */
  startTls: '1.3.6.1.4.1.1466.20037',
  /** RFC 3062 Password Modify. */
  passwordModify: '1.3.6.1.4.1.4203.1.11.1',
  /** RFC 4511 §4.4.1 Notice of Disconnection (unsolicited, messageId 0). */
  noticeOfDisconnection: '1.3.6.1.4.1.1466.20036',
} as const;

/**
 * WhoAmI response: `authzId` is `dn:<dn>`, `u:<user>`, or empty for anonymous (RFC 4532 §2).
 * RFC 4532 sends no responseName.
 */
export function whoAmIResponse(authzId: string): ExtendedResponse {
  return {
    type: 'extendedResponse',
    resultCode: ResultCode.success,
    matchedDN: '',
    diagnosticMessage: '',
    responseValue: Buffer.from(authzId, 'utf8'),
  };
}

/** StartTLS response; after a success the server starts the TLS handshake (RFC 4511 §4.14.2). */
export function startTlsResponse(resultCode: number = ResultCode.success, diagnosticMessage = ''): ExtendedResponse {
  return { type: 'extendedResponse', resultCode, matchedDN: '', diagnosticMessage, responseName: ExtendedOid.startTls };
}

/** The unsolicited Notice of Disconnection to send before closing on a protocol error. */
export function noticeOfDisconnection(
  resultCode: number = ResultCode.protocolError,
  diagnosticMessage = '',
): LdapMessage<ExtendedResponse> {
  return {
    messageId: 0,
    controls: [],
    protocolOp: {
      type: 'extendedResponse',
      resultCode,
      matchedDN: '',
      diagnosticMessage,
      responseName: ExtendedOid.noticeOfDisconnection,
    },
  };
}
