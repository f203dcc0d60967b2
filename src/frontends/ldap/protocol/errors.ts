// Typed errors of the codec; each carries the LDAP result code the server should answer with.

import { ResultCode } from './result-codes.js';

/** Why the codec refused its input; stable names for logs and metrics. */
export type ProtocolErrorCode =
  | 'truncated' // input ends inside an element
  | 'indefiniteLength' // BER indefinite length (forbidden by RFC 4511 §5.1)
  | 'lengthTooLarge' // a length field over the cap or over 4 bytes
  | 'messageTooLarge' // a whole LDAPMessage over the framer's cap
  | 'integerOverflow' // INTEGER outside the safe/allowed range
  | 'unexpectedTag' // a tag that is not allowed here
  | 'unsupportedTag' // multi-byte (high tag number) tags
  | 'malformed' // any other structural problem
  | 'filterTooDeep'; // filter nesting over the depth cap

/** Base of every error thrown by the codec; `resultCode` is what the server should answer. */
export class LdapCodecError extends Error {
  readonly resultCode: number;
  constructor(message: string, resultCode: number) {
    super(message);
    this.name = new.target.name;
    this.resultCode = resultCode;
  }
}

/**
 * Malformed wire data. Per RFC 4511 §4.1.1 the server should send a Notice of Disconnection
 * (protocolError) and close; `messageId` is set when it was already decoded, for logging.
 */
export class ProtocolError extends LdapCodecError {
  readonly code: ProtocolErrorCode;
  messageId: number | undefined;
  constructor(code: ProtocolErrorCode, message: string, messageId?: number) {
    super(message, ResultCode.protocolError);
    this.code = code;
    this.messageId = messageId;
  }
}

/** A DN string that does not follow RFC 4514; the server answers invalidDNSyntax. */
export class DnSyntaxError extends LdapCodecError {
  readonly input: string;
  constructor(message: string, input: string) {
    super(message, ResultCode.invalidDNSyntax);
    this.input = input;
  }
}

/** A filter string that does not follow RFC 4515 (configuration, tests); not a wire error. */
export class FilterSyntaxError extends LdapCodecError {
  readonly input: string;
  readonly position: number;
  constructor(message: string, input: string, position: number) {
    super(`${message} at position ${position}`, ResultCode.protocolError);
    this.input = input;
    this.position = position;
  }
}
