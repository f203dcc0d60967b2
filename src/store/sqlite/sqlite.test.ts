/** Runs the conformance suite on SQLite, a fresh temp file per test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreConformance } from '../conformance.js';
import { openStore } from '../open.js';

describeStoreConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-store-'));
  const store = await openStore({
    driver: 'sqlite',
    sqlitePath: join(dir, 'nested', 'identity.db'), // openStore creates the directory
    postgresUrl: '',
    postgresPoolSize: 1,
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
