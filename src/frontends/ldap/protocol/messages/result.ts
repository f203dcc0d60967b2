// LDAPResult (RFC 4511 §4.1.9): the fields every response shares, and the plain-result responses.

import type { BerReader } from '../ber/reader.js';
import type { BerWriter } from '../ber/writer.js';
import { contextConstructed } from '../ber/tags.js';
import type { OpCodec } from './codec.js';

const REFERRAL_TAG = contextConstructed(3);

export interface LdapResult {
  resultCode: number;
  /** Empty string when not applicable. */
  matchedDN: string;
  /** Human-readable; empty string when none. Never put secrets or user-enumeration hints here. */
  diagnosticMessage: string;
  /** LDAP URLs, only with resultCode referral (10). */
  referral?: string[];
}

/** Reads the LDAPResult components from inside a response's sequence. */
export function readResultFields(r: BerReader): LdapResult {
  const resultCode = r.readEnumerated();
  const matchedDN = r.readString();
  const diagnosticMessage = r.readString();
  const result: LdapResult = { resultCode, matchedDN, diagnosticMessage };
  if (r.peekTag() === REFERRAL_TAG) {
    const seq = r.readConstructed(REFERRAL_TAG);
    const referral: string[] = [];
    while (seq.hasMore()) referral.push(seq.readString());
    result.referral = referral;
  }
  return result;
}

/** Writes the LDAPResult components inside an already opened sequence. */
export function writeResultFields(w: BerWriter, result: LdapResult): void {
  w.writeEnumerated(result.resultCode);
  w.writeOctetString(result.matchedDN);
  w.writeOctetString(result.diagnosticMessage);
  if (result.referral && result.referral.length > 0) {
    w.startSequence(REFERRAL_TAG);
    for (const url of result.referral) w.writeOctetString(url);
    w.endSequence();
  }
}

/** Builds the codec of a response that is exactly an LDAPResult under its own tag. */
export function plainResultCodec<K extends string>(type: K, tag: number): OpCodec<LdapResult & { type: K }> {
  return {
    tag,
    type,
    decode(r) {
      const seq = r.readConstructed(tag);
      return { type, ...readResultFields(seq) };
    },
    encode(w, op) {
      w.startSequence(tag);
      writeResultFields(w, op);
      w.endSequence();
    },
  };
}
