// LDAPMessage (RFC 4511 §4.1.1): messageID, one protocolOp, optional controls.

import { BerReader } from '../ber/reader.js';
import { BerWriter } from '../ber/writer.js';
import { Tag, CONTROLS_TAG } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import { DEFAULT_MAX_FILTER_DEPTH } from '../filter/types.js';
import type { OpCodec } from './codec.js';
import { readControls, writeControls } from './controls.js';
import type { Control } from './controls.js';
import { abandonRequestCodec } from './abandon.js';
import type { AbandonRequest } from './abandon.js';
import { addRequestCodec, addResponseCodec } from './add.js';
import type { AddRequest, AddResponse } from './add.js';
import { bindRequestCodec, bindResponseCodec } from './bind.js';
import type { BindRequest, BindResponse } from './bind.js';
import { compareRequestCodec, compareResponseCodec } from './compare.js';
import type { CompareRequest, CompareResponse } from './compare.js';
import { delRequestCodec, delResponseCodec } from './del.js';
import type { DelRequest, DelResponse } from './del.js';
import { encodeSearchResultEntryMessage } from './entry-encoder.js';
import { extendedRequestCodec, extendedResponseCodec } from './extended.js';
import type { ExtendedRequest, ExtendedResponse } from './extended.js';
import { modifyRequestCodec, modifyResponseCodec } from './modify.js';
import type { ModifyRequest, ModifyResponse } from './modify.js';
import { modifyDNRequestCodec, modifyDNResponseCodec } from './modify-dn.js';
import type { ModifyDNRequest, ModifyDNResponse } from './modify-dn.js';
import { searchRequestCodec } from './search-request.js';
import type { SearchRequest } from './search-request.js';
import { searchResultDoneCodec, searchResultEntryCodec, searchResultReferenceCodec } from './search-result.js';
import type { SearchResultDone, SearchResultEntry, SearchResultReference } from './search-result.js';
import { unbindRequestCodec } from './unbind.js';
import type { UnbindRequest } from './unbind.js';
import { unknownOpCodec } from './unknown.js';
import type { UnknownOp } from './unknown.js';

/** Every protocolOp, discriminated by `type`. */
export type ProtocolOp =
  | BindRequest
  | BindResponse
  | UnbindRequest
  | SearchRequest
  | SearchResultEntry
  | SearchResultReference
  | SearchResultDone
  | ModifyRequest
  | ModifyResponse
  | AddRequest
  | AddResponse
  | DelRequest
  | DelResponse
  | ModifyDNRequest
  | ModifyDNResponse
  | CompareRequest
  | CompareResponse
  | AbandonRequest
  | ExtendedRequest
  | ExtendedResponse
  | UnknownOp;

export interface LdapMessage<Op extends ProtocolOp = ProtocolOp> {
  /** 1..2^31-1 for requests; 0 only for unsolicited notifications. */
  messageId: number;
  protocolOp: Op;
  controls: Control[];
}

export interface DecodeOptions {
  /** Filter nesting cap for search requests. Default 32. */
  maxFilterDepth?: number;
}

type AnyCodec = OpCodec<ProtocolOp>;
const MAX_MESSAGE_ID = 0x7fffffff;

const fixedCodecs = [
  bindRequestCodec, bindResponseCodec, unbindRequestCodec, searchResultEntryCodec,
  searchResultReferenceCodec, searchResultDoneCodec, modifyRequestCodec, modifyResponseCodec,
  addRequestCodec, addResponseCodec, delRequestCodec, delResponseCodec, modifyDNRequestCodec,
  modifyDNResponseCodec, compareRequestCodec, compareResponseCodec, abandonRequestCodec,
  extendedRequestCodec, extendedResponseCodec, unknownOpCodec,
] as unknown as AnyCodec[];

/** Tag-indexed table for decoding; the search codec varies with the depth cap. */
function buildTable(maxFilterDepth: number): (AnyCodec | undefined)[] {
  const table: (AnyCodec | undefined)[] = new Array<AnyCodec | undefined>(256).fill(undefined);
  for (const codec of fixedCodecs) if (codec.tag >= 0) table[codec.tag] = codec;
  const search = searchRequestCodec(maxFilterDepth) as unknown as AnyCodec;
  table[search.tag] = search;
  return table;
}

const tables = new Map<number, (AnyCodec | undefined)[]>([[DEFAULT_MAX_FILTER_DEPTH, buildTable(DEFAULT_MAX_FILTER_DEPTH)]]);

function tableFor(maxFilterDepth: number): (AnyCodec | undefined)[] {
  let table = tables.get(maxFilterDepth);
  if (!table) {
    table = buildTable(maxFilterDepth);
    tables.set(maxFilterDepth, table);
  }
  return table;
}

const encoders = new Map<string, AnyCodec>(
  [...fixedCodecs, searchRequestCodec() as unknown as AnyCodec].map((codec) => [codec.type, codec]),
);

/**
 * Decodes one whole LDAPMessage (as returned by `LdapFramer.next`). Unknown protocolOp tags
 * decode to `{ type: 'unknown' }`; malformed input throws `ProtocolError` (with `messageId`
 * when it was already read). Buffers in the result share memory with `buf`.
 */
export function decodeMessage(buf: Buffer, options: DecodeOptions = {}): LdapMessage {
  const outer = new BerReader(buf);
  const r = outer.readConstructed(Tag.sequence);
  if (outer.hasMore()) throw new ProtocolError('malformed', 'trailing bytes after LDAPMessage');
  const messageId = r.readInteger();
  if (messageId < 0 || messageId > MAX_MESSAGE_ID) throw new ProtocolError('integerOverflow', `messageID ${messageId}`);
  try {
    const tag = r.peekTag();
    if (tag < 0) throw new ProtocolError('truncated', 'LDAPMessage without protocolOp');
    const codec = tableFor(options.maxFilterDepth ?? DEFAULT_MAX_FILTER_DEPTH)[tag] ?? (unknownOpCodec as unknown as AnyCodec);
    const protocolOp = codec.decode(r);
    // Anything after the controls is an extension we ignore (RFC 4511 §4.1.1 leaves room).
    const controls = r.peekTag() === CONTROLS_TAG ? readControls(r) : [];
    return { messageId, protocolOp, controls };
  } catch (err) {
    if (err instanceof ProtocolError && err.messageId === undefined) err.messageId = messageId;
    throw err;
  }
}

/** Encodes one LDAPMessage. SearchResultEntry takes the single-allocation fast path. */
export function encodeMessage(message: LdapMessage): Buffer {
  const op = message.protocolOp;
  if (op.type === 'searchResultEntry') {
    const controls = message.controls.length > 0 ? encodeControls(message.controls) : undefined;
    return encodeSearchResultEntryMessage(message.messageId, op.objectName, op.attributes, controls);
  }
  const codec = encoders.get(op.type);
  if (!codec) throw new Error(`encodeMessage: no codec for ${op.type}`);
  const w = new BerWriter();
  w.startSequence(Tag.sequence);
  w.writeInteger(message.messageId);
  codec.encode(w, op);
  writeControls(w, message.controls);
  w.endSequence();
  return w.toBuffer();
}

function encodeControls(controls: readonly Control[]): Buffer {
  const w = new BerWriter(64);
  writeControls(w, controls);
  return w.toBuffer();
}
