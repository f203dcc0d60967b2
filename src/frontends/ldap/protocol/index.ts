/**
 * Portcullis LDAPv3 protocol layer: bytes ⇄ typed messages, with no I/O.
 *
 * How the server uses it, per connection:
 *
 *   const framer = new LdapFramer({ maxMessageSize: 1 << 20 });
 *   socket.on('data', (chunk) => {
 *     framer.push(chunk);
 *     for (let pdu = framer.next(); pdu; pdu = framer.next()) {
 *       const msg = decodeMessage(pdu, { maxFilterDepth: 32 });
 *       switch (msg.protocolOp.type) { case 'bindRequest': ...; case 'searchRequest': ... }
 *     }
 *   });
 *   socket.write(encodeMessage({ messageId, protocolOp: { type: 'bindResponse', resultCode:
 *     ResultCode.success, matchedDN: '', diagnosticMessage: '' }, controls: [] }));
 *
 * Errors: everything thrown is an `LdapCodecError` carrying `resultCode`. A `ProtocolError`
 * from the framer or decoder means the stream is broken: send
 * `encodeMessage(noticeOfDisconnection())` and close (RFC 4511 §4.1.1). An op of
 * `type: 'unknown'` decoded fine: answer protocolError and carry on or close.
 * DNs arrive as strings; parse them with `Dn.parse` (throws `DnSyntaxError` → invalidDNSyntax).
 * Decoded Buffers share memory with the input PDU; do not reuse pushed chunks.
 * For search results, `encodeSearchResultEntryMessage` writes a whole entry in one allocation.
 */

export { ResultCode, resultCodeName } from './result-codes.js';
export type { ResultCodeName } from './result-codes.js';
export { LdapCodecError, ProtocolError, DnSyntaxError, FilterSyntaxError } from './errors.js';
export type { ProtocolErrorCode } from './errors.js';
export { valueToBuffer, valueToString, utf8OrUndefined } from './values.js';
export type { LdapValue } from './values.js';

export { BerReader } from './ber/reader.js';
export { BerWriter } from './ber/writer.js';
export { Tag, OpTag, TagClass, contextTag, contextConstructed } from './ber/tags.js';

export { LdapFramer, DEFAULT_MAX_MESSAGE_SIZE } from './framer.js';
export type { FramerOptions } from './framer.js';

export { decodeMessage, encodeMessage } from './messages/message.js';
export type { LdapMessage, ProtocolOp, DecodeOptions } from './messages/message.js';
export { encodeMessageWithOp, encodeSearchResultEntryMessage, encodeSearchResultEntryOp } from './messages/entry-encoder.js';
export type { OpCodec } from './messages/codec.js';
export type { LdapResult } from './messages/result.js';
export type { Control } from './messages/controls.js';
export type { PartialAttribute } from './messages/attributes.js';
export type { BindRequest, BindResponse, BindAuthentication, SimpleAuth, SaslAuth, UnknownAuth } from './messages/bind.js';
export type { UnbindRequest } from './messages/unbind.js';
export { SearchScope, DerefAliases } from './messages/search-request.js';
export type { SearchRequest } from './messages/search-request.js';
export type { SearchResultEntry, SearchResultReference, SearchResultDone } from './messages/search-result.js';
export { ModifyOperation } from './messages/modify.js';
export type { ModifyRequest, ModifyResponse, ModifyChange } from './messages/modify.js';
export type { AddRequest, AddResponse } from './messages/add.js';
export type { DelRequest, DelResponse } from './messages/del.js';
export type { ModifyDNRequest, ModifyDNResponse } from './messages/modify-dn.js';
export type { CompareRequest, CompareResponse } from './messages/compare.js';
export type { AbandonRequest } from './messages/abandon.js';
export type { ExtendedRequest, ExtendedResponse } from './messages/extended.js';
export type { UnknownOp } from './messages/unknown.js';

export { PAGED_RESULTS_OID, decodePagedResults, encodePagedResults, findControl } from './controls/paged-results.js';
export type { PagedResults } from './controls/paged-results.js';
export { ExtendedOid, whoAmIResponse, startTlsResponse, noticeOfDisconnection } from './extended/oids.js';
export {
  decodePasswordModifyRequest,
  encodePasswordModifyRequest,
  passwordModifyResponse,
  decodePasswordModifyResponse,
} from './extended/password-modify.js';
export type { PasswordModifyRequest } from './extended/password-modify.js';

export { decodeFilter, encodeFilter } from './filter/ber.js';
export { parseFilter } from './filter/parse.js';
export type { ParseFilterOptions } from './filter/parse.js';
export { filterToString, escapeFilterValue } from './filter/print.js';
export { DEFAULT_MAX_FILTER_DEPTH } from './filter/types.js';
export type {
  Filter, AndFilter, OrFilter, NotFilter, AssertionFilter, SubstringsFilter, PresentFilter, ExtensibleFilter,
} from './filter/types.js';

export { Dn, parseDn, normalizeDn } from './dn/dn.js';
export { escapeDnValue, normalizeValue, normalizeType } from './dn/format.js';
export type { Ava, Rdn } from './dn/types.js';
