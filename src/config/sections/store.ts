import { z } from 'zod';

export const storeSection = z
  .object({
    /** sqlite: one file in the data directory, no server. postgres: for several nodes. */
    driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** Relative paths are resolved against dataDir. */
    sqlitePath: z.string().min(1).default('portcullis.db'),
    postgresUrl: z.string().default('postgres://postgres@127.0.0.1:5432/portcullis'),
    postgresPoolSize: z.number().int().min(1).max(200).default(10),
    postgresSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  })
  .prefault({});
