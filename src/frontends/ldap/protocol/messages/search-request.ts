// SearchRequest (RFC 4511 §4.5.1), the filter decoded with a nesting cap.

import type { BerReader } from '../ber/reader.js';
import { OpTag, Tag } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import { decodeFilter, encodeFilter } from '../filter/ber.js';
import { DEFAULT_MAX_FILTER_DEPTH } from '../filter/types.js';
import type { Filter } from '../filter/types.js';
import type { OpCodec } from './codec.js';

export const SearchScope = { baseObject: 0, singleLevel: 1, wholeSubtree: 2 } as const;
export type SearchScope = (typeof SearchScope)[keyof typeof SearchScope];

export const DerefAliases = { never: 0, inSearching: 1, findingBaseObj: 2, always: 3 } as const;
export type DerefAliases = (typeof DerefAliases)[keyof typeof DerefAliases];

export interface SearchRequest {
  type: 'searchRequest';
  /** Base DN, unparsed. */
  baseObject: string;
  scope: SearchScope;
  derefAliases: DerefAliases;
  /** 0 means no client limit. */
  sizeLimit: number;
  /** Seconds; 0 means no client limit. */
  timeLimit: number;
  typesOnly: boolean;
  filter: Filter;
  /** Requested attributes as sent ("*", "+", "1.1" included); empty means all user attributes. */
  attributes: string[];
}

function readEnum<T extends number>(r: BerReader, max: number, what: string): T {
  const value = r.readEnumerated();
  if (value < 0 || value > max) throw new ProtocolError('malformed', `invalid ${what} ${value}`);
  return value as T;
}

function readLimit(r: BerReader, what: string): number {
  const value = r.readInteger();
  if (value < 0 || value > 0x7fffffff) throw new ProtocolError('integerOverflow', `invalid ${what} ${value}`);
  return value;
}

/** Builds the codec with a given filter depth cap (the message decoder passes its option). */
export function searchRequestCodec(maxFilterDepth: number = DEFAULT_MAX_FILTER_DEPTH): OpCodec<SearchRequest> {
  return {
    tag: OpTag.searchRequest,
    type: 'searchRequest',
    decode(r) {
      const seq = r.readConstructed(OpTag.searchRequest);
      const baseObject = seq.readString();
      const scope = readEnum<SearchScope>(seq, 2, 'scope');
      const derefAliases = readEnum<DerefAliases>(seq, 3, 'derefAliases');
      const sizeLimit = readLimit(seq, 'sizeLimit');
      const timeLimit = readLimit(seq, 'timeLimit');
      const typesOnly = seq.readBoolean();
      const filter = decodeFilter(seq, maxFilterDepth);
      const list = seq.readConstructed(Tag.sequence);
      const attributes: string[] = [];
      while (list.hasMore()) attributes.push(list.readString());
      return { type: 'searchRequest', baseObject, scope, derefAliases, sizeLimit, timeLimit, typesOnly, filter, attributes };
    },
    encode(w, op) {
      w.startSequence(OpTag.searchRequest);
      w.writeOctetString(op.baseObject);
      w.writeEnumerated(op.scope);
      w.writeEnumerated(op.derefAliases);
      w.writeInteger(op.sizeLimit);
      w.writeInteger(op.timeLimit);
      w.writeBoolean(op.typesOnly);
      encodeFilter(w, op.filter);
      w.startSequence(Tag.sequence);
      for (const attribute of op.attributes) w.writeOctetString(attribute);
      w.endSequence();
      w.endSequence();
    },
  };
}
