// BindRequest / BindResponse (RFC 4511 §4.2): simple auth decoded, SASL surfaced for refusal.

import { OpTag, Tag, contextTag, contextConstructed } from '../ber/tags.js';
import type { OpCodec } from './codec.js';
import { readResultFields, writeResultFields } from './result.js';
import type { LdapResult } from './result.js';

const SIMPLE_TAG = contextTag(0);
const SASL_TAG = contextConstructed(3);
const SERVER_SASL_CREDS_TAG = contextTag(7);

/** Simple bind; an empty password is an "unauthenticated bind" and must never authenticate. */
export interface SimpleAuth {
  kind: 'simple';
  /** Binary-safe bytes; `utf8OrUndefined(password)` gives the text when it is valid UTF-8. */
  password: Buffer;
}

/** SASL bind: recognized so the server can answer authMethodNotSupported. */
export interface SaslAuth {
  kind: 'sasl';
  mechanism: string;
  credentials?: Buffer;
}

/** Any other (reserved) authentication choice; answer authMethodNotSupported. */
export interface UnknownAuth {
  kind: 'unknown';
  tag: number;
}

export type BindAuthentication = SimpleAuth | SaslAuth | UnknownAuth;

export interface BindRequest {
  type: 'bindRequest';
  /** 3 for LDAPv3; the server should answer protocolError for anything else. */
  version: number;
  /** The bind DN, unparsed (empty for anonymous). */
  name: string;
  authentication: BindAuthentication;
}

export interface BindResponse extends LdapResult {
  type: 'bindResponse';
  serverSaslCreds?: Buffer;
}

export const bindRequestCodec: OpCodec<BindRequest> = {
  tag: OpTag.bindRequest,
  type: 'bindRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.bindRequest);
    const version = seq.readInteger();
    const name = seq.readString();
    const tag = seq.peekTag();
    let authentication: BindAuthentication;
    if (tag === SIMPLE_TAG) {
      authentication = { kind: 'simple', password: seq.readOctetString(SIMPLE_TAG) };
    } else if (tag === SASL_TAG) {
      const sasl = seq.readConstructed(SASL_TAG);
      const auth: SaslAuth = { kind: 'sasl', mechanism: sasl.readString() };
      if (sasl.peekTag() === Tag.octetString) auth.credentials = sasl.readOctetString();
      authentication = auth;
    } else {
      seq.skipElement(); // throws typed if absent or malformed
      authentication = { kind: 'unknown', tag };
    }
    return { type: 'bindRequest', version, name, authentication };
  },
  encode(w, op) {
    w.startSequence(OpTag.bindRequest);
    w.writeInteger(op.version);
    w.writeOctetString(op.name);
    const auth = op.authentication;
    if (auth.kind === 'simple') {
      w.writeOctetString(auth.password, SIMPLE_TAG);
    } else if (auth.kind === 'sasl') {
      w.startSequence(SASL_TAG);
      w.writeOctetString(auth.mechanism);
      if (auth.credentials !== undefined) w.writeOctetString(auth.credentials);
      w.endSequence();
    } else {
      w.writeNull(auth.tag);
    }
    w.endSequence();
  },
};

export const bindResponseCodec: OpCodec<BindResponse> = {
  tag: OpTag.bindResponse,
  type: 'bindResponse',
  decode(r) {
    const seq = r.readConstructed(OpTag.bindResponse);
    const response: BindResponse = { type: 'bindResponse', ...readResultFields(seq) };
    if (seq.peekTag() === SERVER_SASL_CREDS_TAG) response.serverSaslCreds = seq.readOctetString(SERVER_SASL_CREDS_TAG);
    return response;
  },
  encode(w, op) {
    w.startSequence(OpTag.bindResponse);
    writeResultFields(w, op);
    if (op.serverSaslCreds !== undefined) w.writeOctetString(op.serverSaslCreds, SERVER_SASL_CREDS_TAG);
    w.endSequence();
  },
};
