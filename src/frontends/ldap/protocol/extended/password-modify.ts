// Password Modify extended operation (RFC 3062): request fields and the genPasswd response.

import { BerReader } from '../ber/reader.js';
import { BerWriter } from '../ber/writer.js';
import { Tag, contextTag } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import type { LdapValue } from '../values.js';
import type { ExtendedResponse } from '../messages/extended.js';
import type { LdapResult } from '../messages/result.js';

const USER_IDENTITY_TAG = contextTag(0);
const OLD_PASSWD_TAG = contextTag(1);
const NEW_PASSWD_TAG = contextTag(2);
const GEN_PASSWD_TAG = contextTag(0);

/** All fields optional: absent identity means "the bound user", absent new means "generate one". */
export interface PasswordModifyRequest {
  userIdentity?: string;
  /** Binary-safe. */
  oldPasswd?: Buffer;
  /** Binary-safe. */
  newPasswd?: Buffer;
}

/** Decodes an ExtendedRequest's requestValue (which may itself be absent). */
export function decodePasswordModifyRequest(requestValue: Buffer | undefined): PasswordModifyRequest {
  const request: PasswordModifyRequest = {};
  if (requestValue === undefined || requestValue.length === 0) return request;
  const seq = new BerReader(requestValue).readConstructed(Tag.sequence);
  let last = -1;
  while (seq.hasMore()) {
    const tag = seq.peekTag();
    // Each field at most once, in order.
    if (tag <= last) throw new ProtocolError('malformed', 'password modify fields out of order');
    if (tag === USER_IDENTITY_TAG) request.userIdentity = seq.readString(tag);
    else if (tag === OLD_PASSWD_TAG) request.oldPasswd = seq.readOctetString(tag);
    else if (tag === NEW_PASSWD_TAG) request.newPasswd = seq.readOctetString(tag);
    else throw new ProtocolError('unexpectedTag', `password modify field 0x${tag.toString(16)}`);
    last = tag;
  }
  return request;
}

/** Encodes a request value (for tests and clients). */
export function encodePasswordModifyRequest(request: PasswordModifyRequest): Buffer {
  const w = new BerWriter(64);
  w.startSequence(Tag.sequence);
  if (request.userIdentity !== undefined) w.writeOctetString(request.userIdentity, USER_IDENTITY_TAG);
  if (request.oldPasswd !== undefined) w.writeOctetString(request.oldPasswd, OLD_PASSWD_TAG);
  if (request.newPasswd !== undefined) w.writeOctetString(request.newPasswd, NEW_PASSWD_TAG);
  w.endSequence();
  return w.toBuffer();
}

/**
 * The response; `genPasswd` only when the server generated the password. RFC 3062 sends no
 * responseName, and no value at all when there is nothing to return.
 */
export function passwordModifyResponse(result: LdapResult, genPasswd?: LdapValue): ExtendedResponse {
  const response: ExtendedResponse = { type: 'extendedResponse', ...result };
  if (genPasswd !== undefined) {
    const w = new BerWriter(32);
    w.startSequence(Tag.sequence);
    w.writeOctetString(genPasswd, GEN_PASSWD_TAG);
    w.endSequence();
    response.responseValue = w.toBuffer();
  }
  return response;
}

/** Reads genPasswd from a response value (for tests and clients). */
export function decodePasswordModifyResponse(responseValue: Buffer | undefined): Buffer | undefined {
  if (responseValue === undefined || responseValue.length === 0) return undefined;
  const seq = new BerReader(responseValue).readConstructed(Tag.sequence);
  return seq.peekTag() === GEN_PASSWD_TAG ? seq.readOctetString(GEN_PASSWD_TAG) : undefined;
}
