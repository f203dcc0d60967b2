import { z } from 'zod';
import { cidr } from './common.js';

export const logSection = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Refusals are logged at info, accepted logins at debug.'),
    pretty: z.boolean().default(false).describe('Human-readable lines instead of JSON (development only).'),
  })
  .prefault({});

export const metricsSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve GET /metrics.'),
    networks: z.array(cidr).default(['127.0.0.0/8', '::1/128']).describe('Who may read /metrics without an API key.'),
  })
  .prefault({});
