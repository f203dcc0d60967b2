/** The Cookie header parsed by hand (no plugin needed for a few names), and Set-Cookie written strictly. */

/** Name → value; the first occurrence wins; malformed pairs are skipped, never thrown on. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!/^[A-Za-z0-9_.~+/=-]*$/.test(value) || out.has(name)) continue;
    out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  path?: string;
  /** Seconds; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAge?: number;
}

/** Always HttpOnly and SameSite=Strict: no script reads our cookies and no other site sends them. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
}
