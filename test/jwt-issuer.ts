// A local OpenID provider for token tests: discovery, a JWKS with rotating keys, RFC 7662 introspection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface LocalIssuer {
  url: string;
  keys: SigningKey[];
  /** Opaque token → introspection answer. */
  opaque: Map<string, Record<string, unknown>>;
  clientId: string;
  clientSecret: string;
  jwksFetches: number;
  addKey(alg: string, kid: string): Promise<SigningKey>;
  sign(payload: JWTPayload, key?: SigningKey, options?: { expiresIn?: string | number; notBefore?: string | number }): Promise<string>;
  close(): Promise<void>;
}

export async function newKey(alg: string, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

export async function startIssuer(): Promise<LocalIssuer> {
  const issuer: LocalIssuer = {
    url: '',
    keys: [],
    opaque: new Map(),
    clientId: 'portcullis',
    clientSecret: 'introspection secret',
    jwksFetches: 0,
    async addKey(alg, kid) {
      const key = await newKey(alg, kid);
      issuer.keys.push(key);
      return key;
    },
    async sign(payload, key = issuer.keys[0], options = {}) {
      if (!key) throw new Error('no signing key');
      const jwt = new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).setIssuedAt().setIssuer(payload.iss ?? issuer.url);
      jwt.setExpirationTime(options.expiresIn ?? '5m');
      if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
      return jwt.sign(key.privateKey);
    },
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', issuer.url).pathname;
      if (path === '/.well-known/openid-configuration') {
        return send(res, 200, { issuer: issuer.url, jwks_uri: `${issuer.url}/jwks`, introspection_endpoint: `${issuer.url}/introspect` });
      }
      if (path === '/jwks') {
        issuer.jwksFetches++;
        return send(res, 200, { keys: issuer.keys.map((k) => k.jwk) });
      }
      if (path === '/introspect' && req.method === 'POST') {
        const expected = `Basic ${Buffer.from(`${issuer.clientId}:${issuer.clientSecret.replace(/ /g, '+')}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return send(res, 401, { error: 'invalid_client' });
        const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
        return send(res, 200, issuer.opaque.get(token) ?? { active: false });
      }
      send(res, 404, { error: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return issuer;
}
