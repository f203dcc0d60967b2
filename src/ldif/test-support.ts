/** Test helpers for the LDIF tests: a fresh SQLite store and an IdentityService with a cheap hasher. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityService } from '../identity/service.js';
import { generateAppPassword } from '../passwords/app-password.js';
import { PasswordHasher } from '../passwords/hasher.js';
import { openStore } from '../store/open.js';
import type { IdentityStore } from '../store/store.js';

export interface TestIdentity {
  store: IdentityStore;
  identity: IdentityService;
  hasher: PasswordHasher;
  close(): Promise<void>;
}

export const CHEAP = { params: { memoryKiB: 8192, iterations: 1, parallelism: 1 } };
export const BY = { actor: 'test:ldif', source: 'test' };

export async function openTestIdentity(): Promise<TestIdentity> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-ldif-'));
  const store = await openStore({ driver: 'sqlite', sqlitePath: join(dir, 'identity.db'), postgresUrl: '', postgresPoolSize: 1 });
  await store.migrate();
  const hasher = new PasswordHasher(CHEAP);
  const identity = new IdentityService(store, hasher, () => generateAppPassword());
  return {
    store,
    identity,
    hasher,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Everything an import can create, for "nothing was imported" checks. */
export async function storeCounts(store: IdentityStore): Promise<{ domains: number; users: number; groups: number }> {
  return { domains: (await store.listDomains()).length, users: (await store.listUsers()).length, groups: (await store.listGroups()).length };
}
