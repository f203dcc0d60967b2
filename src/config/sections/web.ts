/**
 * The web front end: admin UI, self-service page and admin API. These defaults are the reference:
 * sessions, cookies, the recent-login log, the dashboard's ring buffer and the reverse proxies
 * whose X-Forwarded-For / X-Forwarded-Proto are believed.
 */
import { z } from 'zod';
import { cidr } from './common.js';

const seconds = (min: number, max: number, def: number) => z.number().int().min(min).max(max).default(def);

export const webSection = z
  .strictObject({
    session: z
      .strictObject({
        idleTimeoutSeconds: seconds(60, 7 * 86_400, 30 * 60).describe('A session unused this long ends.'),
        absoluteTimeoutSeconds: seconds(300, 90 * 86_400, 12 * 3600).describe('A session ends this long after login, used or not.'),
      })
      .refine((s) => s.absoluteTimeoutSeconds >= s.idleTimeoutSeconds, {
        message: 'absoluteTimeoutSeconds must not be shorter than idleTimeoutSeconds',
        path: ['absoluteTimeoutSeconds'],
      })
      .prefault({}),
    secureCookies: z.enum(['auto', 'always', 'never']).default('auto').describe('auto: Secure cookies (and the __Host- name) when the request came over TLS, directly or via a trusted proxy.'),
    loginHistory: z
      .strictObject({
        perUser: z.number().int().min(1).max(10_000).default(50).describe('Recent logins kept per account for the self-service page.'),
        retentionDays: z.number().int().min(1).max(3650).default(30).describe('Older records are deleted.'),
      })
      .prefault({}),
    dashboard: z
      .strictObject({
        bucketSeconds: z.number().int().min(1).max(3600).default(10).describe('Width of one bucket of the live dashboard\'s ring; the ring keeps bucketSeconds × buckets of history.'),
        buckets: z.number().int().min(6).max(100_000).default(360),
        streamIntervalMs: z.number().int().min(100).max(60_000).default(2000).describe('How often the live stream sends a snapshot.'),
      })
      .prefault({}),
    trustedProxies: z.array(cidr).default([]).describe('Reverse proxies in front of the web pages. Only when the direct peer is in this list are X-Forwarded-For (rightmost address not in the list) and X-Forwarded-Proto believed; empty: the peer is the client and the headers are ignored.'),
  })
  .prefault({});

export type WebConfig = z.infer<typeof webSection>;
