/**
 * Trusted issuers changed from the admin API. The identity service has no issuer operations yet, so
 * this narrow adapter does what it does for the other entities: validate, write and audit in one
 * transaction. The client secret is write-only: never answered, never audited.
 */
import type { Actor } from '../../identity/service.js';
import type { TrustedIssuer } from '../../identity/model.js';
import { ValidationError } from '../../identity/validate.js';
import type { IdentityStore, NewTrustedIssuer, TrustedIssuerPatch } from '../../store/store.js';
import { StoreNotFoundError } from '../../store/store.js';

const ALGORITHM = /^(RS|PS|ES|HS)(256|384|512)$|^EdDSA$|^Ed25519$/;

function url(value: string | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ValidationError(field, value, 'expected an absolute URL');
  }
  const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) throw new ValidationError(field, value, 'expected an https URL');
}

function check(input: TrustedIssuerPatch): void {
  if (input.issuer !== undefined) url(input.issuer, 'issuer');
  url(input.jwksUri, 'jwksUri');
  url(input.introspectionUrl, 'introspectionUrl');
  for (const alg of input.algorithms ?? []) if (!ALGORITHM.test(alg)) throw new ValidationError('algorithms', alg, 'expected a JWS algorithm such as RS256 or ES256');
}

export class IssuerAdmin {
  constructor(private readonly store: IdentityStore) {}

  async create(input: NewTrustedIssuer, by: Actor): Promise<TrustedIssuer> {
    check(input);
    return this.store.transaction(async (tx) => {
      const issuer = await tx.createTrustedIssuer(input);
      await tx.appendAudit({ ...by, action: 'issuer.create', target: `issuer:${issuer.issuer}`, detail: { name: issuer.name, audiences: issuer.audiences } });
      return issuer;
    });
  }

  async update(id: string, patch: TrustedIssuerPatch, by: Actor): Promise<TrustedIssuer> {
    check(patch);
    return this.store.transaction(async (tx) => {
      const issuer = await tx.updateTrustedIssuer(id, patch);
      // Field names only: a client secret must never reach the audit log.
      await tx.appendAudit({ ...by, action: 'issuer.update', target: `issuer:${issuer.issuer}`, detail: { fields: Object.keys(patch) } });
      return issuer;
    });
  }

  async remove(id: string, by: Actor): Promise<void> {
    const issuer = (await this.store.listTrustedIssuers()).find((i) => i.id === id);
    if (!issuer) throw new StoreNotFoundError('issuer', id);
    await this.store.transaction(async (tx) => {
      await tx.deleteTrustedIssuer(id);
      await tx.appendAudit({ ...by, action: 'issuer.delete', target: `issuer:${issuer.issuer}`, detail: { name: issuer.name } });
    });
  }
}
