// SearchResultEntry, SearchResultReference and SearchResultDone (RFC 4511 §4.5.2–4.5.3).

import { OpTag } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { readAttributeList, writeAttributeList } from './attributes.js';
import type { PartialAttribute } from './attributes.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

export interface SearchResultEntry {
  type: 'searchResultEntry';
  objectName: string;
  attributes: PartialAttribute[];
}

export interface SearchResultReference {
  type: 'searchResultReference';
  uris: string[];
}

export type SearchResultDone = LdapResult & { type: 'searchResultDone' };

/** Generic codec; the server's hot path should prefer `encodeSearchResultEntryMessage`. */
export const searchResultEntryCodec: OpCodec<SearchResultEntry> = {
  tag: OpTag.searchResultEntry,
  type: 'searchResultEntry',
  decode(r) {
    const seq = r.readConstructed(OpTag.searchResultEntry);
    const objectName = seq.readString();
    return { type: 'searchResultEntry', objectName, attributes: readAttributeList(seq) };
  },
  encode(w, op) {
    w.startSequence(OpTag.searchResultEntry);
    w.writeOctetString(op.objectName);
    writeAttributeList(w, op.attributes);
    w.endSequence();
  },
};

export const searchResultReferenceCodec: OpCodec<SearchResultReference> = {
  tag: OpTag.searchResultReference,
  type: 'searchResultReference',
  decode(r) {
    const seq = r.readConstructed(OpTag.searchResultReference);
    const uris: string[] = [];
    while (seq.hasMore()) uris.push(seq.readString());
    return { type: 'searchResultReference', uris };
  },
  encode(w, op) {
    w.startSequence(OpTag.searchResultReference);
    for (const uri of op.uris) w.writeOctetString(uri);
    w.endSequence();
  },
};

export const searchResultDoneCodec = plainResultCodec('searchResultDone', OpTag.searchResultDone);
