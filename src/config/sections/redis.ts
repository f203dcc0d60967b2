import { z } from 'zod';

export const redisSection = z
  .strictObject({
    url: z.string().url().optional().describe('Unset: counters, bans and caches stay in this process\'s memory.'),
    sentinels: z.array(z.strictObject({ host: z.string(), port: z.number().int() })).optional().describe('Redis Sentinel nodes (with sentinelName) instead of url.'),
    sentinelName: z.string().optional().describe('The Sentinel master group name.'),
    cluster: z.array(z.strictObject({ host: z.string(), port: z.number().int() })).optional().describe('Redis Cluster seed nodes instead of url.'),
    keyPrefix: z.string().default('portcullis:').describe('Prefix of every key Portcullis writes.'),
  })
  .prefault({});
