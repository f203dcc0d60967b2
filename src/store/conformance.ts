/**
 * The identity-store conformance suite: one set of tests every dialect must pass.
 * Usage: describeStoreConformance('sqlite', async () => ({ store, cleanup })).
 */
import { afterEach, beforeEach, describe } from 'node:test';
import { auditAndTransactionTests } from './conformance/audit-tx.js';
import { credentialTests } from './conformance/credentials.js';
import { groupTests } from './conformance/groups.js';
import type { Fixture } from './conformance/helpers.js';
import { userTests } from './conformance/users.js';
import type { IdentityStore } from './store.js';

export interface StoreUnderTest {
  store: IdentityStore;
  cleanup: () => Promise<void>;
}

export function describeStoreConformance(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`IdentityStore conformance: ${name}`, () => {
    let current: StoreUnderTest | null = null;
    // A fresh, migrated store per test: no test can lean on another's leftovers.
    const fx: Fixture = {
      get store(): IdentityStore {
        if (!current) throw new Error('no store: used outside a test');
        return current.store;
      },
    };
    beforeEach(async () => {
      current = await makeStore();
      await current.store.migrate();
      await current.store.createDomain('example.org');
    });
    afterEach(async () => {
      const c = current;
      current = null;
      if (c) await c.cleanup();
    });
    userTests(fx);
    groupTests(fx);
    credentialTests(fx);
    auditAndTransactionTests(fx);
  });
}
