/** Parsing of Authorization headers and nginx-style percent-escaped values, strictly and without throwing. */

export type AuthorizationHeader =
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'none' }
  | { kind: 'malformed'; why: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// RFC 6750 b64token
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export function parseAuthorization(header: string | undefined): AuthorizationHeader {
  if (header === undefined || header === '') return { kind: 'none' };
  const space = header.indexOf(' ');
  if (space <= 0) return { kind: 'malformed', why: 'expected "<scheme> <credentials>"' };
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    return TOKEN68.test(value) ? { kind: 'bearer', token: value } : { kind: 'malformed', why: 'the bearer token is not a valid token' };
  }
  if (scheme !== 'basic') return { kind: 'malformed', why: 'only the Basic and Bearer schemes are supported' };
  if (!BASE64.test(value) || value.length % 4 !== 0) return { kind: 'malformed', why: 'Basic credentials are not valid base64' };
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(value, 'base64'));
  } catch {
    return { kind: 'malformed', why: 'Basic credentials are not valid UTF-8' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed', why: 'Basic credentials lack a ":"' };
  return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * nginx percent-escapes Auth-User and Auth-Pass but passes non-ASCII bytes raw, which Node reads as
 * latin1: undo both and decode UTF-8. Malformed escapes or non-UTF-8 give null, never an exception.
 */
export function percentDecode(value: string): string | null {
  if (plainAscii(value)) return value; // the usual case: nothing to undo
  const raw = Buffer.from(value, 'latin1');
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] ?? 0;
    if (byte !== 0x25) {
      out[n++] = byte;
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    out[n++] = parseInt(hex, 16);
    i += 2;
  }
  try {
    return utf8.decode(out.subarray(0, n));
  } catch {
    return null;
  }
}

/** No '%' and nothing beyond ASCII: percentDecode would give the same string back. */
function plainAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25 || c > 0x7f) return false;
  }
  return true;
}

/** Header values must be visible ASCII: anything else is percent-escaped rather than making Node throw. */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
