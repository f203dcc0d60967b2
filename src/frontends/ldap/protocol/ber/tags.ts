// BER tag bytes used by LDAP (single-byte tags only: LDAP never needs high tag numbers).

/** Universal tags. */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  enumerated: 0x0a,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Tag class and form bits, to build context/application tags. */
export const TagClass = {
  universal: 0x00,
  application: 0x40,
  context: 0x80,
  constructed: 0x20,
} as const;

/** Context-specific primitive tag `[n]`. */
export function contextTag(n: number): number {
  return TagClass.context | n;
}

/** Context-specific constructed tag `[n]`. */
export function contextConstructed(n: number): number {
  return TagClass.context | TagClass.constructed | n;
}

/** LDAP protocolOp tags (RFC 4511 §4.2–4.13, [APPLICATION n]). */
export const OpTag = {
  bindRequest: 0x60,
  bindResponse: 0x61,
  unbindRequest: 0x42,
  searchRequest: 0x63,
  searchResultEntry: 0x64,
  searchResultDone: 0x65,
  modifyRequest: 0x66,
  modifyResponse: 0x67,
  addRequest: 0x68,
  addResponse: 0x69,
  delRequest: 0x4a,
  delResponse: 0x6b,
  modifyDNRequest: 0x6c,
  modifyDNResponse: 0x6d,
  compareRequest: 0x6e,
  compareResponse: 0x6f,
  abandonRequest: 0x50,
  searchResultReference: 0x73,
  extendedRequest: 0x77,
  extendedResponse: 0x78,
  intermediateResponse: 0x79,
} as const;

/** LDAPMessage controls `[0] Controls`. */
export const CONTROLS_TAG = 0xa0;
