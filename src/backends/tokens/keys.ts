/**
 * Signing keys per issuer: the JWKS URI (configured, or found by OIDC discovery) and jose's remote key
 * set, which caches keys and re-fetches on an unknown kid with a cooldown (key rotation).
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuer } from '../../identity/model.js';
import { fetchJson, Unavailable } from './fetch-json.js';

export interface KeySourceOptions {
  cacheSeconds: number;
  timeoutMs: number;
  /** Minimum time between JWKS re-fetches triggered by an unknown kid. */
  cooldownMs?: number;
}

interface Entry {
  version: string;
  keys: Promise<JWTVerifyGetKey>;
}

export class KeySource {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: KeySourceOptions) {}

  /** The key set for an issuer; rebuilt when the issuer's record changes. Rejects with Unavailable. */
  keysFor(issuer: TrustedIssuer): Promise<JWTVerifyGetKey> {
    const version = `${issuer.updatedAt.getTime()}|${issuer.jwksUri ?? ''}`;
    const entry = this.entries.get(issuer.id);
    if (entry?.version === version) return entry.keys;
    const keys = this.jwksUri(issuer).then((uri) =>
      createRemoteJWKSet(new URL(uri), { timeoutDuration: this.o.timeoutMs, cacheMaxAge: this.o.cacheSeconds * 1000, cooldownDuration: this.o.cooldownMs ?? 30_000 }),
    );
    // A failed discovery is not remembered: the next token tries again.
    keys.catch(() => {
      if (this.entries.get(issuer.id)?.keys === keys) this.entries.delete(issuer.id);
    });
    this.entries.set(issuer.id, { version, keys });
    return keys;
  }

  private async jwksUri(issuer: TrustedIssuer): Promise<string> {
    if (issuer.jwksUri) return issuer.jwksUri;
    const url = `${issuer.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const doc = await fetchJson(url, { timeoutMs: this.o.timeoutMs });
    // OIDC Discovery §4.3: the document must name the very issuer we asked about.
    if (doc.issuer !== issuer.issuer) throw new Unavailable(`discovery for ${issuer.name} names another issuer`);
    if (typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri)) throw new Unavailable(`discovery for ${issuer.name} has no jwks_uri`);
    return doc.jwks_uri;
  }
}
