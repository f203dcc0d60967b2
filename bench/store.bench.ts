/**
 * Identity-store look-up benchmark: seeds 100,000 users (1-2 aliases each) into SQLite (temp
 * file) and PostgreSQL (temp schema), then times look-ups by login, by mail and by alias: on the
 * database (read cache off), then through the read cache (label +c: a cold pass, then a warm one).
 * Run: node --import tsx bench/store.bench.ts   (PostgreSQL is skipped if unreachable)
 * Env: BENCH_USERS, BENCH_SQLITE_OPS, BENCH_PG_OPS, BENCH_PG_CONCURRENCY, BENCH_PG_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { User } from '../src/identity/model.js';
import { openStore, type StoreOptions } from '../src/store/open.js';
import { SqlStore } from '../src/store/sql/sql-store.js';
import type { IdentityStore, NewUser } from '../src/store/store.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SQLITE_OPS = Number(process.env.BENCH_SQLITE_OPS ?? 200_000);
const PG_OPS = Number(process.env.BENCH_PG_OPS ?? 50_000);
const PG_CONCURRENCY = Number(process.env.BENCH_PG_CONCURRENCY ?? 32);
const PG_POOL = 16;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const aliasCount = (i: number): number => 1 + (i % 2);
function seedUser(i: number): NewUser {
  const login = `user${i}`;
  const aliases = Array.from({ length: aliasCount(i) }, (_, n) => `${login}.alias${n}@example.org`);
  return { login, domain: 'example.org', mail: `${login}@example.org`, aliases, displayName: `User ${i}`, roles: ['user'], passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA' };
}

async function seed(store: IdentityStore): Promise<number> {
  if (!(store instanceof SqlStore)) throw new Error('bench expects the SQL store');
  const started = performance.now();
  await store.migrate();
  await store.createDomain('example.org');
  const batch = 10_000;
  for (let start = 0; start < USERS; start += batch) {
    const users = Array.from({ length: Math.min(batch, USERS - start) }, (_, k) => seedUser(start + k));
    await store.bulkCreateUsers(users);
  }
  return (performance.now() - started) / 1000;
}

/** A deterministic spread of keys: every run asks for the same users. */
function* keys(ops: number): Generator<number> {
  let x = 123456789;
  for (let n = 0; n < ops; n++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    yield x % USERS;
  }
}

type Lookup = { name: string; run: (store: IdentityStore, i: number) => Promise<User | null> };
const LOOKUPS: Lookup[] = [
  { name: 'by login', run: (s, i) => s.findUserByLogin(`user${i}`) },
  { name: 'by mail', run: (s, i) => s.findUserByAddress(`user${i}@example.org`) },
  { name: 'by alias', run: (s, i) => s.findUserByAddress(`user${i}.alias${aliasCount(i) - 1}@example.org`) },
];

async function measure(label: string, store: IdentityStore, lookup: Lookup, ops: number, concurrency: number): Promise<void> {
  const latencies = new Float64Array(ops);
  const it = keys(ops);
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let next = it.next(); !next.done; next = it.next()) {
      const t0 = performance.now();
      const user = await lookup.run(store, next.value);
      latencies[done++] = performance.now() - t0;
      if (user?.login !== `user${next.value}`) throw new Error(`${lookup.name}: wrong answer for user${next.value}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  const pct = (p: number): string => (latencies[Math.min(ops - 1, Math.floor(ops * p))] ?? 0).toFixed(3);
  const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  console.log(
    `${label.padEnd(10)} ${lookup.name.padEnd(14)} ${String(ops).padStart(7)} ops  ${Math.round(ops / seconds).toString().padStart(7)} ops/s` +
      `  p50 ${pct(0.5)} ms  p99 ${pct(0.99)} ms  rss ${rss} MB`,
  );
}

/** The database itself (read cache off), then through the read cache once the same keys were read before. */
async function bench(label: string, opts: StoreOptions, ops: number, concurrency: number): Promise<void> {
  const store = await openStore(opts);
  const raw = await openStore({ ...opts, readCache: false });
  try {
    const seconds = await seed(store);
    console.log(`${label.padEnd(8)} seeded ${USERS} users in ${seconds.toFixed(1)} s (${(await store.countUsers()).toString()} counted)`);
    for (const lookup of LOOKUPS) await measure(label, raw, lookup, ops, concurrency);
    for (const lookup of LOOKUPS) {
      await measure(`${label}+c`, store, lookup, ops, concurrency); // fills the cache (every key once)
      await measure(`${label}+c`, store, { ...lookup, name: `${lookup.name} warm` }, ops, concurrency);
    }
  } finally {
    await raw.close();
    await store.close();
  }
}

async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const base = { sqlitePath: '', postgresUrl: PG_URL, postgresPoolSize: PG_POOL };
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
try {
  await bench('sqlite', { ...base, driver: 'sqlite', sqlitePath: join(dir, 'identity.db') }, SQLITE_OPS, 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const schema = `portcullis_bench_${randomBytes(6).toString('hex')}`;
let created = false;
try {
  await pgAdmin(`CREATE SCHEMA ${schema}`);
  created = true;
} catch (err) {
  console.log(`postgres skipped: ${err instanceof Error ? err.message : String(err)}`);
}
if (created) {
  try {
    await bench('postgres', { ...base, driver: 'postgres', postgresSchema: schema }, PG_OPS, PG_CONCURRENCY);
  } finally {
    await pgAdmin(`DROP SCHEMA ${schema} CASCADE`);
  }
}
