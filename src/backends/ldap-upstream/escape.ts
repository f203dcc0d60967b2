/**
 * Inserting user input into LDAP filters and DNs: the login is always data, never syntax
 * (RFC 4515 for filter values, RFC 4514 for DN attribute values).
 */

/** RFC 4515: `*`, `(`, `)`, `\` and NUL become \2a, \28, \29, \5c, \00. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4514: special characters, a leading `#` or space and a trailing space are escaped. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

export interface TemplateValues {
  login: string;
  dn?: string;
}

/** Fills {login}, {local}, {domain} (and {dn}) in a filter, each value escaped. */
export function fillFilter(template: string, values: TemplateValues): string {
  return fill(template, values, escapeFilterValue);
}

/** Fills {login}, {local}, {domain} in a DN template, each value DN-escaped. */
export function fillDn(template: string, values: TemplateValues): string {
  return fill(template, values, escapeDnValue);
}

function fill(template: string, values: TemplateValues, escape: (v: string) => string): string {
  const at = values.login.lastIndexOf('@');
  const parts: Record<string, string> = {
    login: values.login,
    local: at < 0 ? values.login : values.login.slice(0, at),
    domain: at < 0 ? '' : values.login.slice(at + 1),
    dn: values.dn ?? '',
  };
  // One pass, so a value containing "{domain}" is never filled in again.
  return template.replace(/\{(login|local|domain|dn)\}/g, (_, key: string) => escape(parts[key] ?? ''));
}

/** The value of a DN's first RDN, unescaped: cn=Sales\, EMEA,ou=groups → "Sales, EMEA". */
export function firstRdnValue(dn: string): string {
  const start = dn.indexOf('=');
  if (start < 0) return dn;
  // Hex escapes are UTF-8 bytes (cn=caf\c3\a9 is "café"): collect bytes, decode once.
  const bytes: number[] = [];
  for (let i = start + 1; i < dn.length; i++) {
    const c = dn.charAt(i);
    if (c === ',' || c === '+') break;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const hex = dn.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(dn.charAt(i + 1), 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8').trim();
}
