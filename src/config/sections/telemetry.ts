import { z } from 'zod';
import { cidr } from './common.js';

export const logSection = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    pretty: z.boolean().default(false),
  })
  .prefault({});

export const metricsSection = z
  .object({
    enabled: z.boolean().default(true),
    /** Who may read /metrics without an API key. */
    networks: z.array(cidr).default(['127.0.0.0/8', '::1/128']),
  })
  .prefault({});
