import { z } from 'zod';

export const storeSection = z
  .strictObject({
    driver: z.enum(['sqlite', 'postgres']).default('sqlite').describe('sqlite: one file in the data directory, no server. postgres: for several nodes.'),
    sqlitePath: z.string().min(1).default('portcullis.db').describe('Relative paths are resolved against dataDir.'),
    postgresUrl: z.string().default('postgres://postgres@127.0.0.1:5432/portcullis').describe('Connection string for store.driver postgres (libpq URL; credentials may be in it or in PG* variables).'),
    postgresPoolSize: z.number().int().min(1).max(200).default(10).describe('Connections per node.'),
    postgresSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional().describe('Schema for the tables; unset: the connection\'s search_path.'),
  })
  .prefault({});
