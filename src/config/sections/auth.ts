import { z } from 'zod';

export const authSection = z
  .strictObject({
    masterSeparator: z.string().min(1).max(4).default('%').describe('`<user>%<master>` logins for service accounts with the impersonate role.'),
    cacheTtlSeconds: z.number().int().min(0).max(86_400).default(120).describe('Seconds a successful verification is remembered (keyed by an HMAC, never the secret). 0 disables.'),
    cacheMaxEntries: z.number().int().min(100).max(10_000_000).default(100_000).describe('Verifications remembered in memory (without Redis); the least recently used are dropped.'),
    tokenLeewaySeconds: z.number().int().min(0).max(600).default(30).describe('Clock skew allowed on JWT exp/nbf.'),
    jwksCacheSeconds: z.number().int().min(10).max(86_400).default(600).describe('How long an issuer\'s key set (JWKS) is kept before it is fetched again.'),
    issuerRefreshSeconds: z.number().int().min(1).max(3600).default(30).describe('Seconds before trusted issuers are re-read from the store (CLI changes take effect without a restart).'),
    tokenFetchTimeoutMs: z.number().int().min(100).max(60_000).default(5000).describe('Time allowed for discovery, JWKS and introspection requests; slower counts as unavailable.'),
  })
  .prefault({});
