import { availableParallelism } from 'node:os';
import { z } from 'zod';

export const passwordsSection = z
  .strictObject({
    argon2: z
      .strictObject({
        memoryKiB: z.number().int().min(8192).max(4_194_304).default(19456).describe('argon2id memory cost m in KiB for new hashes.'),
        iterations: z.number().int().min(1).max(100).default(2).describe('argon2id time cost t.'),
        parallelism: z.number().int().min(1).max(16).default(1).describe('argon2id lanes p.'),
      })
      .prefault({})
      .describe('argon2id parameters; the default is OWASP\'s minimum recommendation (19 MiB, t=2, p=1).'),
    maxConcurrent: z.number().int().min(1).max(256).default(availableParallelism()).describe('Hash verifications running at once; also sizes the libuv thread pool.'),
    maxQueued: z.number().int().min(0).max(100_000).default(256).describe('Verifications allowed to wait; beyond this a login is answered "busy" at once instead of queueing.'),
    minLength: z.number().int().min(1).max(1024).default(10).describe('Shortest password accepted when one is set or changed.'),
    breachedListFile: z.string().optional().describe('A file of known-breached passwords, one per line (plain text or SHA-1 hex); rejected on change.'),
  })
  .prefault({});
