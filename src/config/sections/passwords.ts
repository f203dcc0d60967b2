import { availableParallelism } from 'node:os';
import { z } from 'zod';

export const passwordsSection = z
  .object({
    /** argon2id parameters; the default is OWASP's minimum recommendation (19 MiB, t=2, p=1). */
    argon2: z
      .object({
        memoryKiB: z.number().int().min(8192).max(4_194_304).default(19456),
        iterations: z.number().int().min(1).max(100).default(2),
        parallelism: z.number().int().min(1).max(16).default(1),
      })
      .prefault({}),
    /** Hash verifications running at once; also sizes the libuv thread pool. */
    maxConcurrent: z.number().int().min(1).max(256).default(availableParallelism()),
    /** Verifications allowed to wait; beyond this a login is answered "busy" at once instead of queueing. */
    maxQueued: z.number().int().min(0).max(100_000).default(256),
    minLength: z.number().int().min(1).max(1024).default(10),
    /** A file of known-breached passwords, one per line (plain text or SHA-1 hex); rejected on change. */
    breachedListFile: z.string().optional(),
  })
  .prefault({});
