import { z } from 'zod';

export const redisSection = z
  .object({
    /** Unset: counters, bans and caches stay in this process's memory. */
    url: z.string().url().optional(),
    sentinels: z.array(z.object({ host: z.string(), port: z.number().int() })).optional(),
    sentinelName: z.string().optional(),
    cluster: z.array(z.object({ host: z.string(), port: z.number().int() })).optional(),
    keyPrefix: z.string().default('portcullis:'),
  })
  .prefault({});
