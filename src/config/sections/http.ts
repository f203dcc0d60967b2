import { z } from 'zod';
import { cidr, listen, port } from './common.js';

const ENDPOINTS = ['nauthilus', 'nginx', 'opencloud', 'weakforced', 'stalwart-webhook', 'admin', 'metrics'] as const;

/** A caller of the HTTP APIs and what it may use. Keys are compared in constant time. */
const caller = z.strictObject({
  name: z.string().min(1).describe('Shown in logs and the audit trail.'),
  apiKey: z.string().min(16, 'API keys must be at least 16 characters').describe('Sent as `X-API-Key`, `Authorization: Bearer`, the password of Basic auth, or the nginx shared-secret header.'),
  endpoints: z.array(z.enum(ENDPOINTS)).min(1).describe('Endpoint groups this caller may use.'),
  networks: z.array(cidr).optional().describe('Optional source restriction.'),
});

const upstream = z.strictObject({ host: z.string().min(1), port });

export const httpSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the HTTP front end (auth APIs, webhooks, metrics, web UI).'),
    listen: listen(8080).describe('Address and port of the HTTP listener (plain HTTP: put TLS in front).'),
    bodyLimitBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024).describe('Largest request body accepted (Stalwart webhooks: at least 4 MiB).'),
    callers: z.array(caller).default([]).describe('Who may call the HTTP APIs, with which key, from where.'),
    allowLoopbackWithoutKey: z.boolean().default(true).describe('Without callers, only loopback may call the auth APIs (a safe demo default).'),
    nginxSecretHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Portcullis-Key').describe('Header nginx adds with `auth_http_header` to prove it is the caller.'),
  })
  .prefault({});

export const nginxSection = z
  .strictObject({
    upstreams: z
      .strictObject({ imap: upstream.optional(), pop3: upstream.optional(), smtp: upstream.optional() })
      .prefault({})
      .describe('Where nginx sends an authenticated mail session; Auth-Server must be an IP literal.'),
    retryWaitSeconds: z.number().int().min(0).max(3600).default(3).describe('Seconds nginx waits before letting a refused client try again (Auth-Wait).'),
  })
  .prefault({});

export type HttpEndpoint = (typeof ENDPOINTS)[number];
