/** TLS material for LDAPS and StartTLS: PEM text or a path to a PEM file, per config. */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Config } from '../../config/schema.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** For StartTLS upgrades (TLSSocket); the LDAPS server takes cert and key itself. */
  context: SecureContext;
}

function pem(value: string): string {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/** The certificate and key, or undefined when none is configured (StartTLS is then not offered). */
export function loadTls(config: Config['ldap']): TlsMaterial | undefined {
  const { cert, key } = config.tls;
  if (!cert || !key) {
    if (config.ldaps.enabled) throw new Error('ldap.ldaps.enabled needs ldap.tls.cert and ldap.tls.key');
    return undefined;
  }
  const material = { cert: pem(cert), key: pem(key) };
  return { ...material, context: createSecureContext({ ...material, minVersion: 'TLSv1.2' }) };
}
