/**
 * Child process for crash.test.ts: writes users forever until SIGKILLed. Each user gets exactly
 * three aliases; every other one is written through a multi-step transaction that also adds
 * an app password, yielding to the event loop between steps so the kill can land mid-way.
 */
import { openStore } from '../open.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-child.ts <sqlite path>');
const store = await openStore({ driver: 'sqlite', sqlitePath: path, postgresUrl: '', postgresPoolSize: 1 });
await store.migrate();
if (!(await store.getDomain('example.org'))) await store.createDomain('example.org');

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const run = `${process.pid}`;
for (let i = 0; ; i++) {
  const login = `u${run}x${i}`;
  const base = { login, domain: 'example.org', mail: `${login}@example.org`, passwordHash: 'h' };
  if (i % 2 === 0) {
    await store.createUser({ ...base, displayName: 'plain', aliases: [1, 2, 3].map((n) => `${login}.${n}@example.org`) });
  } else {
    await store.transaction(async (tx) => {
      const u = await tx.createUser({ ...base, displayName: 'unit', aliases: [`${login}.1@example.org`] });
      await yieldNow();
      await tx.addUserAlias(u.id, `${login}.2@example.org`);
      await yieldNow();
      await tx.addUserAlias(u.id, `${login}.3@example.org`);
      await yieldNow();
      await tx.createAppPassword({ userId: u.id, name: 'phone', scopes: ['imap'], hash: 'h' });
    });
  }
  if (i === 50) process.stdout.write('ready\n');
}
