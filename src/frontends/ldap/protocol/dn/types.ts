// DN structure: a DN is a list of RDNs (leaf first), an RDN one or more attribute=value pairs.

/** One attribute type and value, e.g. `cn=Jane`. */
export interface Ava {
  /** As written (`cn`, `CN`, `2.5.4.3`). */
  type: string;
  /** The value with escapes resolved; for a `#hex` value holding a BER string, that string. */
  value: string;
  /** The raw BER bytes when the value was written as `#hex` (RFC 4514 §2.4). */
  ber?: Buffer;
}

/** A relative DN: several AVAs when multi-valued (`cn=a+uid=b`). */
export type Rdn = readonly Ava[];
