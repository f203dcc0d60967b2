// DN printing (RFC 4514 escaping) and the normalized form used for case-insensitive comparison.

import type { Ava, Rdn } from './types.js';

/** Short names for the OIDs and long names of the naming attributes seen in DNs. */
const TYPE_ALIASES: Record<string, string> = {
  '2.5.4.3': 'cn', commonname: 'cn',
  '2.5.4.4': 'sn', surname: 'sn',
  '2.5.4.6': 'c', countryname: 'c',
  '2.5.4.7': 'l', localityname: 'l',
  '2.5.4.8': 'st', stateorprovincename: 'st',
  '2.5.4.9': 'street', streetaddress: 'street',
  '2.5.4.10': 'o', organizationname: 'o',
  '2.5.4.11': 'ou', organizationalunitname: 'ou',
  '0.9.2342.19200300.100.1.1': 'uid', userid: 'uid',
  '0.9.2342.19200300.100.1.25': 'dc', domaincomponent: 'dc',
  '1.2.840.113549.1.9.1': 'mail', emailaddress: 'mail', rfc822mailbox: 'mail',
};

/** Escapes a value per RFC 4514 §2.4 (always the same way, so equal values print equally). */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const code = c.charCodeAt(0);
    if (c === '\\' || c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '=') {
      out += '\\' + c;
    } else if (code < 0x20 || code === 0x7f) {
      out += '\\' + code.toString(16).padStart(2, '0');
    } else if ((c === ' ' && (i === 0 || i === value.length - 1)) || (c === '#' && i === 0)) {
      out += '\\' + c;
    } else {
      out += c;
    }
  }
  return out;
}

function formatAva(ava: Ava): string {
  if (ava.ber && ava.value === '') return `${ava.type}=#${ava.ber.toString('hex')}`;
  return `${ava.type}=${escapeDnValue(ava.value)}`;
}

/** Prints RDNs as a DN string, types and values as given (escaped). */
export function formatRdns(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map(formatAva).join('+')).join(',');
}

/** Lowercased attribute type with well-known aliases and OIDs mapped to the short name. */
export function normalizeType(type: string): string {
  const lower = type.toLowerCase();
  return TYPE_ALIASES[lower] ?? lower;
}

/**
 * caseIgnoreMatch preparation (RFC 4518, simplified): NFKC, lowercase, leading/trailing
 * spaces dropped and inner runs of spaces folded to one.
 */
export function normalizeValue(value: string): string {
  // Printable ASCII words between single spaces (addresses, logins) are already NFKC, trimmed and folded.
  if (PLAIN_ASCII.test(value)) return value.toLowerCase();
  return value.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

const PLAIN_ASCII = /^[!-~]+(?: [!-~]+)*$/;

/** The normalized text of one RDN; AVAs sorted so `a=1+b=2` equals `b=2+a=1`. */
export function normalizeRdn(rdn: Rdn): string {
  const parts = rdn.map((ava) => {
    const type = normalizeType(ava.type);
    if (ava.ber && ava.value === '') return `${type}=#${ava.ber.toString('hex')}`;
    return `${type}=${escapeDnValue(normalizeValue(ava.value))}`;
  });
  return parts.length === 1 ? (parts[0] as string) : parts.sort().join('+');
}
