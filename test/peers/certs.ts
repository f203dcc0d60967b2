// Self-signed certificates made with the openssl CLI, for peers that speak TLS (slapd's ldaps:// and StartTLS).
import { join } from 'node:path';
import { assertOk, run } from './clients.js';
import { requirePeers } from './common.js';

export interface SelfSigned {
  /** The certificate (PEM); being self-signed, it is also the CA file clients trust. */
  certFile: string;
  keyFile: string;
}

/** A P-256 certificate for 127.0.0.1 and localhost in `dir`, named `<name>.crt` / `<name>.key`. */
export async function makeSelfSignedCert(dir: string, name = 'server'): Promise<SelfSigned> {
  requirePeers('openssl');
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const made = await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  assertOk('openssl req', made);
  return { certFile, keyFile };
}
