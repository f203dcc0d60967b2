/**
 * What flows into and out of the guard besides logins: Stalwart's signed webhook events (intake) and
 * bans pushed out to webhooks, a firewall command and Stalwart's blocked-IP list.
 */
import { z } from 'zod';
import { PROTOCOLS } from '../../identity/model.js';

const protocol = z.enum(PROTOCOLS);

export const stalwartWebhookSection = z
  .strictObject({
    signatureKey: z.string().min(16, 'use at least 16 characters of random text').optional().describe('Stalwart\'s webhook signatureKey; unset: POST /api/v1/webhooks/stalwart answers 404.'),
    dedupeSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400).describe('Event ids remembered this long, so a redelivered batch is not counted twice (in Redis when configured).'),
    maxEvents: z.number().int().min(1).max(100_000).default(5000).describe('Events in one batch beyond this are refused (413): Stalwart batches far fewer.'),
    listeners: z.record(z.string(), protocol).default({}).describe('Listener ids (Stalwart\'s `listenerId`) to protocols, checked before the port.'),
    ports: z
      .record(z.string().regex(/^\d{1,5}$/), protocol)
      .default({ '143': 'imap', '993': 'imap', '110': 'pop3', '995': 'pop3', '25': 'smtp', '465': 'smtp', '587': 'smtp', '4190': 'sieve', '443': 'http', '8080': 'http' })
      .describe('Local ports to protocols; the defaults are the IANA ports.'),
    mirrorBanSeconds: z.number().int().min(0).max(30 * 86_400).default(900).describe('Stalwart banned an address itself (security.*-ban): ban it here too, for this long, so every front end refuses it. 0: only log it.'),
  })
  .prefault({});

const webhookTarget = z.strictObject({
  name: z.string().min(1).max(64).describe('Names the target in logs and metrics.'),
  url: z.string().url().describe('Receives POST JSON {event: guard.ban|guard.unban, …}.'),
  secret: z.string().min(16, 'use at least 16 characters of random text').describe('HMAC-SHA256 key: X-Portcullis-Signature = base64(HMAC(secret, body)).'),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
});

export const pushOutSection = z
  .strictObject({
    webhooks: z.array(webhookTarget).default([]).describe('HTTP endpoints told of every ban and unban.'),
    command: z
      .strictObject({
        path: z.string().regex(/^\//, 'an absolute path'),
        args: z.array(z.string()).default([]),
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
      })
      .optional()
      .describe('execFile\'d (never through a shell) as `<path> <args…> ban|unban <cidr> <ttlSeconds>`, e.g. to fill an nftables set.'),
    stalwart: z
      .strictObject({
        url: z.string().url().describe('e.g. https://mail.example.org (no trailing path).'),
        api: z.enum(['0.16', 'legacy']).default('0.16').describe('0.16: registry objects (x:BlockedIp/set over JMAP); legacy: /api/settings keys server.blocked-ip.<ip> (0.15 and older).'),
        apiKey: z.string().min(1).optional().describe('Sent as Authorization: Bearer; or username/password as Basic.'),
        username: z.string().min(1).optional().describe('Basic auth user, when no apiKey.'),
        password: z.string().min(1).optional().describe('Basic auth password, when no apiKey.'),
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
      })
      .refine((s) => s.apiKey !== undefined || (s.username !== undefined && s.password !== undefined), { message: 'set apiKey, or username and password' })
      .optional()
      .describe('Stalwart\'s blocked-IP list through its admin API.'),
    queueSize: z.number().int().min(1).max(100_000).default(1000).describe('Pending deliveries kept per target; beyond it the oldest are dropped (counted and logged).'),
    maxAttempts: z.number().int().min(1).max(20).default(6).describe('Tries per delivery, with exponential backoff from retryBaseMs up to retryMaxMs.'),
    retryBaseMs: z.number().int().min(10).max(60_000).default(1000),
    retryMaxMs: z.number().int().min(100).max(3_600_000).default(60_000),
  })
  .prefault({});

export type StalwartWebhookConfig = z.infer<typeof stalwartWebhookSection>;
export type PushOutConfig = z.infer<typeof pushOutSection>;
