import { z } from 'zod';
import { cidr, listen, port } from './common.js';

const ENDPOINTS = ['nauthilus', 'nginx', 'opencloud', 'weakforced', 'stalwart-webhook', 'admin', 'metrics'] as const;

/** A caller of the HTTP APIs and what it may use. Keys are compared in constant time. */
const caller = z.object({
  name: z.string().min(1),
  /** Sent as `X-API-Key`, `Authorization: Bearer`, the password of Basic auth, or the nginx shared-secret header. */
  apiKey: z.string().min(16, 'API keys must be at least 16 characters'),
  endpoints: z.array(z.enum(ENDPOINTS)).min(1),
  /** Optional source restriction. */
  networks: z.array(cidr).optional(),
});

const upstream = z.object({ host: z.string().min(1), port });

export const httpSection = z
  .object({
    enabled: z.boolean().default(true),
    listen: listen(8080),
    bodyLimitBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
    callers: z.array(caller).default([]),
    /** Without callers, only loopback may call the auth APIs (a safe demo default). */
    allowLoopbackWithoutKey: z.boolean().default(true),
    /** Header nginx adds with `auth_http_header` to prove it is the caller. */
    nginxSecretHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Portcullis-Key'),
  })
  .prefault({});

export const nginxSection = z
  .object({
    /** Where nginx sends an authenticated mail session; Auth-Server must be an IP literal. */
    upstreams: z
      .object({ imap: upstream.optional(), pop3: upstream.optional(), smtp: upstream.optional() })
      .prefault({}),
    /** Seconds nginx waits before letting a refused client try again (Auth-Wait). */
    retryWaitSeconds: z.number().int().min(0).max(3600).default(3),
  })
  .prefault({});

export type HttpEndpoint = (typeof ENDPOINTS)[number];
