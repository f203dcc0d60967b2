/** Which JWS algorithms an issuer may use: asymmetric by default; `none` never; HMAC only when listed. */
import type { TrustedIssuer } from '../../identity/model.js';

export const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export const isHmac = (alg: string): boolean => /^HS(256|384|512)$/.test(alg);

export function allowedAlgorithms(issuer: TrustedIssuer): string[] {
  const listed = issuer.algorithms.length > 0 ? issuer.algorithms : DEFAULT_ALGORITHMS;
  return listed.filter((alg) => alg.toLowerCase() !== 'none');
}
