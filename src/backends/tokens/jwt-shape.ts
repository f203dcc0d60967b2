/** Cheap, unverified looks at a compact JWS: is it one, and which issuer and algorithm does it claim? */

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface UnverifiedJwt {
  alg: string;
  iss: string | null;
}

function json(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** null unless the secret is three base64url segments with a JSON header naming an alg and a JSON payload. */
export function peekJwt(secret: string): UnverifiedJwt | null {
  if (secret.length < 20 || secret.length > 16_384) return null;
  const parts = secret.split('.');
  if (parts.length !== 3 || !parts.slice(0, 2).every((p) => SEGMENT.test(p))) return null;
  const [h = '', p = ''] = parts;
  const header = json(h);
  const payload = json(p);
  if (!header || !payload || typeof header.alg !== 'string') return null;
  return { alg: header.alg, iss: typeof payload.iss === 'string' ? payload.iss : null };
}
