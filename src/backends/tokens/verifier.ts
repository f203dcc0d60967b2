/**
 * Bearer tokens from trusted issuers: JWTs verified against the issuer's JWKS (or its shared secret when
 * an HMAC algorithm is explicitly allowed), opaque tokens by RFC 7662 introspection.
 */
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { TrustedIssuer } from '../../identity/model.js';
import type { TokenCheck, TokenVerifier } from '../local/tokens.js';
import { allowedAlgorithms, isHmac } from './algorithms.js';
import { Unavailable } from './fetch-json.js';
import { introspect } from './introspection.js';
import { IssuerDirectory, type IssuerSource } from './issuers.js';
import { peekJwt } from './jwt-shape.js';
import { KeySource } from './keys.js';

export interface IssuerTokenVerifierOptions {
  store: IssuerSource;
  /** Clock skew on exp/nbf, unless the issuer sets its own (leewaySeconds > 0). */
  leewaySeconds: number;
  jwksCacheSeconds: number;
  issuerRefreshSeconds: number;
  fetchTimeoutMs: number;
  /** Minimum time between JWKS re-fetches on an unknown kid (default 30 s). */
  jwksCooldownMs?: number;
  now?: () => number;
}

// jose errors that mean the key source, not the token, is at fault.
const KEY_SOURCE_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

export class IssuerTokenVerifier implements TokenVerifier {
  readonly issuers: IssuerDirectory;
  private readonly keys: KeySource;
  private readonly now: () => number;

  constructor(private readonly o: IssuerTokenVerifierOptions) {
    this.now = o.now ?? Date.now;
    this.issuers = new IssuerDirectory(o.store, o.issuerRefreshSeconds * 1000, this.now);
    this.keys = new KeySource({ cacheSeconds: o.jwksCacheSeconds, timeoutMs: o.fetchTimeoutMs, ...(o.jwksCooldownMs !== undefined ? { cooldownMs: o.jwksCooldownMs } : {}) });
  }

  /** Only a JWT naming a trusted issuer counts: any other secret typed as a password is tried as a password. */
  looksLikeToken(secret: string): boolean {
    const issuers = this.issuers.snapshot();
    if (issuers.length === 0) return false;
    const jwt = peekJwt(secret);
    return jwt?.iss != null && this.issuers.byIssuer(jwt.iss, issuers) !== undefined;
  }

  async verify(token: string): Promise<TokenCheck> {
    let issuers: readonly TrustedIssuer[];
    try {
      issuers = await this.issuers.current();
    } catch (err) {
      return { status: 'unavailable', detail: `trusted issuers could not be read: ${err instanceof Error ? err.message : String(err)}` };
    }
    const jwt = peekJwt(token);
    if (jwt) {
      const issuer = jwt.iss === null ? undefined : this.issuers.byIssuer(jwt.iss, issuers);
      if (!issuer) return { status: 'invalid', detail: 'JWT from an untrusted issuer' };
      return this.verifyJwt(issuer, token, jwt.alg);
    }
    return this.introspectOpaque(issuers, token);
  }

  private async verifyJwt(issuer: TrustedIssuer, token: string, alg: string): Promise<TokenCheck> {
    const algorithms = allowedAlgorithms(issuer);
    if (!algorithms.includes(alg)) return { status: 'invalid', detail: `${issuer.name}: algorithm ${alg.slice(0, 16)} not allowed` };
    const options = {
      issuer: issuer.issuer,
      algorithms,
      clockTolerance: this.leeway(issuer),
      requiredClaims: ['exp'],
      currentDate: new Date(this.now()),
      ...(issuer.audiences.length > 0 ? { audience: issuer.audiences } : {}),
    };
    let payload: JWTPayload;
    try {
      if (isHmac(alg)) {
        if (!issuer.clientSecret) return { status: 'invalid', detail: `${issuer.name}: HMAC allowed but no shared secret configured` };
        ({ payload } = await jwtVerify(token, new TextEncoder().encode(issuer.clientSecret), options));
      } else {
        ({ payload } = await jwtVerify(token, await this.keys.keysFor(issuer), options));
      }
    } catch (err) {
      return classify(issuer, err);
    }
    const name = payload[issuer.accountClaim];
    if (typeof name !== 'string' || name === '') return { status: 'invalid', detail: `${issuer.name}: no ${issuer.accountClaim} claim` };
    return { status: 'valid', accountName: name, issuer: issuer.issuer };
  }

  /** Tries every issuer with an introspection endpoint; any "active" wins, else any outage wins over "invalid". */
  private async introspectOpaque(issuers: readonly TrustedIssuer[], token: string): Promise<TokenCheck> {
    if (token.length > 4096 || !/^[\x21-\x7e]+$/.test(token)) return { status: 'invalid', detail: 'not a token' };
    const candidates = issuers.filter((i) => i.introspectionUrl);
    if (candidates.length === 0) return { status: 'invalid', detail: 'opaque token and no issuer with introspection' };
    let outage: TokenCheck | null = null;
    for (const issuer of candidates) {
      const check = await introspect(issuer, token, { timeoutMs: this.o.fetchTimeoutMs, leewaySeconds: this.leeway(issuer), nowSeconds: Math.floor(this.now() / 1000) });
      if (check.status === 'valid') return check;
      if (check.status === 'unavailable') outage ??= check;
    }
    return outage ?? { status: 'invalid', detail: 'token not active at any issuer' };
  }

  private leeway(issuer: TrustedIssuer): number {
    return issuer.leewaySeconds > 0 ? issuer.leewaySeconds : this.o.leewaySeconds;
  }
}

function classify(issuer: TrustedIssuer, err: unknown): TokenCheck {
  if (err instanceof Unavailable) return { status: 'unavailable', detail: err.message };
  if (err instanceof errors.JOSEError && !KEY_SOURCE_FAILURES.has(err.code)) {
    return { status: 'invalid', detail: `${issuer.name}: ${err.code}` };
  }
  // Fetch failures from jose's remote key set surface as plain errors (ECONNREFUSED, timeouts).
  const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return { status: 'unavailable', detail: `${issuer.name}: key set unavailable (${message})` };
}
