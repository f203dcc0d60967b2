/**
 * Distinguished names (RFC 4514), just enough for LDIF: a canonical form to compare member
 * DNs with entry DNs, and escaping to build DNs from logins and group names.
 */

/** Escapes an RDN attribute value (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  return chars
    .map((c, at) => {
      if (c === '\x00') return '\\00';
      if ('\\,+"<>;='.includes(c)) return `\\${c}`;
      if ((at === 0 && (c === ' ' || c === '#')) || (at === chars.length - 1 && c === ' ')) return `\\${c}`;
      return c;
    })
    .join('');
}

interface Ava {
  type: string;
  value: string;
}

/**
 * Parses a DN into RDNs of attribute-value assertions, unescaping values. Throws an Error
 * with a short reason when the DN is malformed. Hex-string values (`#04...`) are kept as text.
 */
export function parseDn(dn: string): Ava[][] {
  const rdns: Ava[][] = [];
  if (dn.trim() === '') return rdns;
  let i = 0;
  let rdn: Ava[] = [];
  while (i <= dn.length) {
    while (dn[i] === ' ') i++;
    const eq = dn.indexOf('=', i);
    if (eq < 0) throw new Error(`missing "=" in "${dn.slice(i)}"`);
    const type = dn.slice(i, eq).trim().toLowerCase();
    if (!/^(?:[a-z][a-z0-9-]*|\d+(?:\.\d+)*)$/.test(type)) throw new Error(`invalid attribute type "${type}"`);
    i = eq + 1;
    while (dn[i] === ' ') i++;
    let value = '';
    if (dn[i] === '"') {
      // RFC 2253 legacy quoting.
      i++;
      while (i < dn.length && dn[i] !== '"') {
        if (dn[i] === '\\') i++;
        value += dn[i] ?? '';
        i++;
      }
      if (dn[i] !== '"') throw new Error('unterminated quoted value');
      i++;
      while (dn[i] === ' ') i++;
    } else {
      const bytes: number[] = [];
      const flush = (): void => {
        if (bytes.length) value += Buffer.from(bytes).toString('utf8');
        bytes.length = 0;
      };
      let trailingSpaces = 0;
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+' && dn[i] !== ';') {
        const c = dn[i] ?? '';
        if (c === '\\') {
          const hex = /^[0-9a-fA-F]{2}/.exec(dn.slice(i + 1, i + 3));
          if (hex) {
            bytes.push(parseInt(hex[0], 16));
            i += 3;
          } else if (i + 1 < dn.length) {
            flush();
            value += dn[i + 1];
            i += 2;
          } else {
            throw new Error('dangling "\\" at the end');
          }
          trailingSpaces = 0;
          continue;
        }
        flush();
        value += c;
        trailingSpaces = c === ' ' ? trailingSpaces + 1 : 0;
        i++;
      }
      flush();
      if (trailingSpaces) value = value.slice(0, -trailingSpaces);
    }
    rdn.push({ type, value });
    const sep = dn[i];
    if (sep === '+') {
      i++;
      continue;
    }
    rdns.push(rdn);
    rdn = [];
    if (sep === undefined) break;
    i++;
    if (i >= dn.length) throw new Error('trailing separator');
  }
  return rdns;
}

/**
 * A canonical, case-folded form for comparing DNs: types and values lowercased (the naming
 * attributes we meet — uid, cn, ou, o, dc — all match case-insensitively), multi-valued RDNs
 * sorted, values re-escaped, no spaces around separators.
 */
export function normalizeDn(dn: string): string {
  return parseDn(dn)
    .map((rdn) =>
      rdn
        .map((ava) => `${ava.type}=${escapeDnValue(ava.value.toLowerCase().replace(/\s+/g, ' '))}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/** The first RDN's first attribute-value assertion, or null for the empty DN. */
export function leafRdn(dn: string): Ava | null {
  return parseDn(dn)[0]?.[0] ?? null;
}
