/**
 * Trusted token issuers (JWTs verified against their keys, opaque tokens introspected): validated,
 * written and audited in one transaction, like every other identity change. The client secret is
 * write-only: never returned, never in an error message, never in the audit log.
 */
import type { TrustedIssuer } from './model.js';
import { ValidationError, normalizeDisplayName } from './validate.js';
import type { IdentityStore, NewTrustedIssuer, TrustedIssuerPatch } from '../store/store.js';
import { StoreNotFoundError } from '../store/store.js';
import type { Actor } from './service.js';

/** An issuer as it leaves the service: the secret replaced by whether there is one. */
export type PublicIssuer = Omit<TrustedIssuer, 'clientSecret'> & { hasClientSecret: boolean };

export type IssuerRequest = Pick<NewTrustedIssuer, 'name' | 'issuer' | 'accountClaim'> & Partial<NewTrustedIssuer>;

const ALGORITHM = /^(?:(?:RS|PS|ES|HS)(?:256|384|512)|EdDSA|Ed25519)$/;
const CLAIM = /^[A-Za-z0-9_.:/-]{1,128}$/;
const PRINTABLE = /^[^\x00-\x1f\x7f]+$/;

export const DEFAULT_ISSUER: Omit<NewTrustedIssuer, 'name' | 'issuer' | 'accountClaim'> = {
  audiences: [], jwksUri: null, algorithms: [], introspectionUrl: null, clientId: null, clientSecret: null, leewaySeconds: 60, enabled: true,
};

export function publicIssuer(issuer: TrustedIssuer): PublicIssuer {
  const { clientSecret, ...rest } = issuer;
  return { ...rest, hasClientSecret: clientSecret !== null };
}

/** https, or http on loopback (a test or a sidecar IdP). */
function url(value: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new ValidationError(field, value, 'expected an absolute URL such as https://idp.example.org');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw new ValidationError(field, value, 'expected an https URL');
  if (parsed.username || parsed.password || parsed.hash) throw new ValidationError(field, value, 'expected a URL without credentials or fragment');
  return value.trim();
}

const optionalUrl = (value: string | null, field: string): string | null => (value === null || value.trim() === '' ? null : url(value, field));

function text(value: string, field: string, max: number): string {
  const t = value.trim();
  if (t.length === 0 || t.length > max || !PRINTABLE.test(t)) throw new ValidationError(field, value, `expected 1-${max} printable characters`);
  return t;
}

/** Each field present in `input`, cleaned; absent fields stay absent (a patch). */
function clean(input: TrustedIssuerPatch): TrustedIssuerPatch {
  const out: TrustedIssuerPatch = {};
  if (input.name !== undefined) out.name = normalizeDisplayName(input.name, 'name');
  if (input.issuer !== undefined) out.issuer = url(input.issuer, 'issuer');
  if (input.accountClaim !== undefined) {
    if (!CLAIM.test(input.accountClaim)) throw new ValidationError('accountClaim', input.accountClaim, 'expected a claim name such as preferred_username or email');
    out.accountClaim = input.accountClaim;
  }
  if (input.audiences !== undefined) out.audiences = [...new Set(input.audiences.map((a) => text(a, 'audiences', 512)))];
  if (input.algorithms !== undefined) {
    for (const alg of input.algorithms) if (!ALGORITHM.test(alg)) throw new ValidationError('algorithms', alg, 'expected a JWS algorithm such as RS256 or ES256 ("none" never)');
    out.algorithms = [...new Set(input.algorithms)];
  }
  if (input.jwksUri !== undefined) out.jwksUri = optionalUrl(input.jwksUri, 'jwksUri');
  if (input.introspectionUrl !== undefined) out.introspectionUrl = optionalUrl(input.introspectionUrl, 'introspectionUrl');
  if (input.clientId !== undefined) out.clientId = input.clientId === null || input.clientId.trim() === '' ? null : text(input.clientId, 'clientId', 256);
  if (input.clientSecret !== undefined) {
    const secret = input.clientSecret;
    // The value is never put in the message: "(hidden)" stands for it.
    if (secret !== null && (secret.length === 0 || secret.length > 1024 || !PRINTABLE.test(secret))) throw new ValidationError('clientSecret', '(hidden)', 'expected 1-1024 printable characters');
    out.clientSecret = secret;
  }
  if (input.leewaySeconds !== undefined) {
    if (!Number.isInteger(input.leewaySeconds) || input.leewaySeconds < 0 || input.leewaySeconds > 3600) throw new ValidationError('leewaySeconds', String(input.leewaySeconds), 'expected whole seconds from 0 to 3600');
    out.leewaySeconds = input.leewaySeconds;
  }
  if (input.enabled !== undefined) out.enabled = input.enabled;
  return out;
}

/** Rules across fields, checked on the issuer as it will be stored. */
function checkWhole(issuer: NewTrustedIssuer): void {
  if (issuer.introspectionUrl !== null && issuer.clientId === null) throw new ValidationError('clientId', '', 'required with introspectionUrl (introspection authenticates as a client)');
  if (issuer.algorithms.some((a) => a.startsWith('HS')) && issuer.clientSecret === null) throw new ValidationError('clientSecret', '(hidden)', 'required when an HMAC algorithm (HS256…) is allowed');
}

export class IssuerOperations {
  constructor(private readonly store: IdentityStore) {}

  async list(): Promise<PublicIssuer[]> {
    return (await this.store.listTrustedIssuers()).map(publicIssuer);
  }

  /** By id, exact issuer URL, or name (when only one issuer has it). */
  async require(key: string): Promise<TrustedIssuer> {
    const all = await this.store.listTrustedIssuers();
    const exact = all.find((i) => i.id === key || i.issuer === key);
    if (exact) return exact;
    const named = all.filter((i) => i.name.toLowerCase() === key.trim().toLowerCase());
    if (named.length > 1) throw new ValidationError('issuer', key, 'several issuers have this name; use the id or the issuer URL');
    if (!named[0]) throw new StoreNotFoundError('issuer', key);
    return named[0];
  }

  async add(request: IssuerRequest, by: Actor): Promise<PublicIssuer> {
    const input = { ...DEFAULT_ISSUER, ...clean({ ...DEFAULT_ISSUER, ...request }) } as NewTrustedIssuer;
    checkWhole(input);
    return this.store.transaction(async (tx) => {
      const issuer = await tx.createTrustedIssuer(input);
      const detail = { name: issuer.name, audiences: issuer.audiences, accountClaim: issuer.accountClaim, hasClientSecret: issuer.clientSecret !== null };
      await tx.appendAudit({ ...by, action: 'issuer.create', target: `issuer:${issuer.issuer}`, detail });
      return publicIssuer(issuer);
    });
  }

  async update(key: string, patch: TrustedIssuerPatch, by: Actor): Promise<PublicIssuer> {
    const current = await this.require(key);
    const changes = clean(patch);
    const { id: _id, createdAt: _c, updatedAt: _u, ...whole } = { ...current, ...changes };
    checkWhole(whole);
    return this.store.transaction(async (tx) => {
      const issuer = await tx.updateTrustedIssuer(current.id, changes);
      // Field names only: a client secret must never reach the audit log.
      await tx.appendAudit({ ...by, action: 'issuer.update', target: `issuer:${issuer.issuer}`, detail: { fields: Object.keys(changes) } });
      return publicIssuer(issuer);
    });
  }

  async remove(key: string, by: Actor): Promise<void> {
    const issuer = await this.require(key);
    await this.store.transaction(async (tx) => {
      await tx.deleteTrustedIssuer(issuer.id);
      await tx.appendAudit({ ...by, action: 'issuer.delete', target: `issuer:${issuer.issuer}`, detail: { name: issuer.name } });
    });
  }
}
