import { z } from 'zod';

export const redisSection = z
  .strictObject({
    url: z.string().url().optional().describe('Unset: counters, bans and caches stay in this process\'s memory.'),
    sentinels: z.array(z.strictObject({ host: z.string(), port: z.number().int() })).optional().describe('Redis Sentinel nodes (with sentinelName) instead of url.'),
    sentinelName: z.string().optional().describe('The Sentinel master group name.'),
    cluster: z.array(z.strictObject({ host: z.string(), port: z.number().int() })).optional().describe('Redis Cluster seed nodes instead of url.'),
    username: z.string().optional().describe('ACL user for Sentinel- and Cluster-managed nodes (a url carries its own).'),
    password: z.string().optional().describe('Password for Sentinel- and Cluster-managed nodes (a url carries its own).'),
    sentinelPassword: z.string().optional().describe('Password of the Sentinels themselves, when they require one.'),
    tls: z.boolean().default(false).describe('TLS to Sentinel- and Cluster-managed nodes (use rediss:// in url otherwise).'),
    keyPrefix: z.string().default('portcullis:').describe('Prefix of every key Portcullis writes.'),
  })
  .prefault({});
