import { z } from 'zod';

export const authSection = z
  .object({
    /** `<user>%<master>` logins for service accounts with the impersonate role. */
    masterSeparator: z.string().min(1).max(4).default('%'),
    /** Seconds a successful verification is remembered (keyed by an HMAC, never the secret). 0 disables. */
    cacheTtlSeconds: z.number().int().min(0).max(86_400).default(120),
    cacheMaxEntries: z.number().int().min(100).max(10_000_000).default(100_000),
    /** Clock skew allowed on JWT exp/nbf. */
    tokenLeewaySeconds: z.number().int().min(0).max(600).default(30),
    jwksCacheSeconds: z.number().int().min(10).max(86_400).default(600),
    /** Seconds before trusted issuers are re-read from the store (CLI changes take effect without a restart). */
    issuerRefreshSeconds: z.number().int().min(1).max(3600).default(30),
    /** Time allowed for discovery, JWKS and introspection requests; slower counts as unavailable. */
    tokenFetchTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .prefault({});
