import { z } from 'zod';
import { cidr, listen } from './common.js';

export const ldapSection = z
  .object({
    enabled: z.boolean().default(true),
    listen: listen(3389),
    /** LDAPS (implicit TLS); needs tls.cert and tls.key. */
    ldaps: z.object({ enabled: z.boolean().default(false), port: z.number().int().min(0).max(65535).default(6636) }).prefault({}),
    tls: z.object({ cert: z.string().optional(), key: z.string().optional() }).prefault({}),
    baseDn: z.string().min(1).default('dc=example,dc=org'),
    /** Refuse simple binds without TLS, except from these networks. */
    requireTlsForBind: z.boolean().default(false),
    plainBindNetworks: z.array(cidr).default(['127.0.0.0/8', '::1/128']),
    /** Who may search: anonymous never by default; service accounts read everything; users their own entry. */
    allowAnonymousSearch: z.boolean().default(false),
    usersReadDirectory: z.boolean().default(false),
    maxMessageBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    maxFilterDepth: z.number().int().min(1).max(256).default(32),
    maxConnections: z.number().int().min(1).max(1_000_000).default(10_000),
    idleTimeoutSeconds: z.number().int().min(1).max(86_400).default(300),
    sizeLimit: z.number().int().min(1).max(1_000_000).default(1000),
    timeLimitSeconds: z.number().int().min(1).max(3600).default(30),
  })
  .prefault({});
