/**
 * The configuration schema. Its defaults are the embedded defaults Portcullis starts on with no
 * file at all (SQLite in the data directory, in-memory counters), and the reference for every key.
 */
import { z } from 'zod';
import { authSection } from './sections/auth.js';
import { backendsSection } from './sections/backends.js';
import { guardSection } from './sections/guard.js';
import { httpSection, nginxSection } from './sections/http.js';
import { ldapSection } from './sections/ldap.js';
import { passwordsSection } from './sections/passwords.js';
import { redisSection } from './sections/redis.js';
import { storeSection } from './sections/store.js';
import { logSection, metricsSection } from './sections/telemetry.js';
import { webSection } from './sections/web.js';

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data').describe('Where the SQLite file and the server key live.'),
    workers: z
      .union([z.number().int().min(1).max(64), z.literal('auto')])
      .default(1)
      .describe('Processes serving LDAP and HTTP on the same ports. "auto": one per core. With more than one, a primary process keeps the in-memory guard counters for all of them (or they share Redis), so a guess counts once whichever process served it.'),
    serverKey: z.string().min(32, 'expected at least 32 characters of random text').optional().describe('Secret for HMACs (verification cache, wrong-password fingerprints). Generated into dataDir when unset.'),
    store: storeSection,
    passwords: passwordsSection,
    auth: authSection,
    backends: backendsSection,
    ldap: ldapSection,
    http: httpSection,
    nginx: nginxSection,
    redis: redisSection,
    guard: guardSection,
    log: logSection,
    metrics: metricsSection,
    web: webSection,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
