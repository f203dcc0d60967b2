/**
 * LDAP bench: the same load against Portcullis (its own process) and OpenLDAP slapd (mdb, the same
 * users): warm binds (Portcullis's verification cache vs slapd {SSHA}), Stalwart's filterMailbox
 * recipient searches (each address searched twice: mostly first reads, the target's line; then the
 * same searches once all are cached, for information), cold binds (argon2id vs slapd {ARGON2}, same parameters). Prints figures
 * and ratios; targets from issue 3: warm ≥ 1.0×, searches ≥ 1.0×, cold ≥ 0.9×, warm p99 < 5 ms at 32 connections.
 * BENCH_USERS (default 10000), BENCH_CONNECTIONS (32), BENCH_OPS (20000), BENCH_COLD_OPS (300),
 * BENCH_WORKERS (2: Portcullis on both cores, as slapd's threads are; 1 for a single process).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2 } from '@node-rs/argon2';
import { startChild } from './lib/children.js';
import { runLoad, type LoadResult } from './lib/ldap-load.js';
import { startSlapd } from '../test/peers/slapd.js';
import { skipUnless } from '../test/peers/common.js';
import type { ProtocolOp } from '../src/frontends/ldap/protocol/index.js';
import { BENCH_PASSWORD, bindRequest, mailboxSearch } from './lib/ldap-requests.js';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const COLD_OPS = Number(process.env.BENCH_COLD_OPS ?? 300);
const WORKERS = process.env.BENCH_WORKERS ?? '2';
const WARMUP_OPS = 8000;
const COLD_USERS = 64;
const PASSWORD = BENCH_PASSWORD;
const BASE = 'dc=example,dc=org';
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

const bind = bindRequest;
const mailbox = (address: string): ProtocolOp => mailboxSearch(address, BASE);

function ssha(password: string): string {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
}

function ldif(argonHash: string): string {
  const entries = [`dn: ou=users,${BASE}\nobjectClass: organizationalUnit\nou: users\n`];
  for (let i = 0; i < USERS; i++) {
    entries.push(`dn: uid=user${i},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: user${i}\ncn: user${i}\nsn: ${i}\nmail: user${i}@example.org\nuserPassword: ${ssha(PASSWORD)}\n`);
  }
  for (let i = 0; i < COLD_USERS; i++) {
    entries.push(`dn: uid=cold${i},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: cold${i}\ncn: cold${i}\nsn: ${i}\nmail: cold${i}@example.org\nuserPassword: {ARGON2}${argonHash}\n`);
  }
  return entries.join('\n');
}

const userDn = (name: string): string => `uid=${name},ou=users,${BASE}`;
const pick = (i: number): number => (i * 7919) % USERS;

interface Figures {
  warm: LoadResult;
  search: LoadResult;
  /** The same searches once every address was looked up before (what a running server mostly sees). */
  searchCached: LoadResult;
  cold: LoadResult;
}

async function measure(port: number, serviceDn: string, servicePassword: string, coldDn: (i: number) => string): Promise<Figures> {
  // Warm: each connection binds as its own user again and again (first bind per user is cold: warm it up).
  const warmUser = (c: number): string => userDn(`user${c}`);
  await runLoad({ port, connections: CONNECTIONS, totalOps: CONNECTIONS, op: (c) => bind(warmUser(c)) });
  // JIT warm-up of both paths (every worker process has its own): binds, and searches for addresses
  // that do not exist, so the measured searches still include first reads of every user.
  await runLoad({ port, connections: CONNECTIONS, totalOps: WARMUP_OPS, op: (c) => bind(warmUser(c)) });
  await runLoad({ port, connections: CONNECTIONS, totalOps: WARMUP_OPS, setup: bind(serviceDn, servicePassword), op: (_c, i) => mailbox(`nobody${i}@example.org`) });
  const warm = await runLoad({ port, connections: CONNECTIONS, totalOps: OPS, op: (c) => bind(warmUser(c)) });
  const searches = { port, connections: CONNECTIONS, totalOps: OPS, setup: bind(serviceDn, servicePassword), op: (_c: number, i: number) => mailbox(`user${pick(i)}@example.org`) };
  const search = await runLoad(searches);
  // Two more passes reach (nearly) every address in every worker's cache; the third is measured.
  for (let pass = 0; pass < 2; pass++) await runLoad(searches);
  const searchCached = await runLoad(searches);
  const cold = await runLoad({ port, connections: CONNECTIONS, totalOps: COLD_OPS, op: (_c, i) => bind(coldDn(i)) });
  return { warm, search, searchCached, cold };
}

function row(name: string, p: LoadResult, s: LoadResult): string {
  const f = (r: LoadResult): string => `${r.opsPerSecond.toFixed(0).padStart(7)}/s p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms${r.failures ? ` (${r.failures} failed)` : ''}`;
  return `${name.padEnd(18)} portcullis ${f(p)} | slapd ${f(s)} | ratio ${(p.opsPerSecond / s.opsPerSecond).toFixed(2)}×`;
}

async function main(): Promise<void> {
  const missing = skipUnless('slapd', 'slapd-argon2', 'ldap-utils');
  if (missing) {
    console.log(`ldap bench skipped: ${missing}`);
    return;
  }
  const argonHash = await argon2(PASSWORD, ARGON2);
  console.log(`ldap bench: ${USERS} users, ${CONNECTIONS} connections, ${OPS} warm/search ops, ${COLD_OPS} cold binds (argon2id m=${ARGON2.memoryCost} t=${ARGON2.timeCost}), Portcullis workers ${WORKERS}`);

  const portcullis = await startChild('bench/lib/ldap-portcullis-child.ts', { BENCH_USERS: String(USERS), BENCH_HASH: argonHash, BENCH_WORKERS: WORKERS });
  let p: Figures;
  try {
    // Cold binds on Portcullis: users not bound before, so no cached verification exists.
    p = await measure(portcullis.port, `cn=stalwart,ou=services,${BASE}`, 'service password 1', (i) => userDn(`user${USERS - 1 - (i % (USERS - CONNECTIONS))}`));
  } finally {
    await portcullis.stop();
  }

  const slapd = await startSlapd({ argon2: { m: ARGON2.memoryCost, t: ARGON2.timeCost, p: ARGON2.parallelism }, ldif: ldif(argonHash), logLevel: '0' });
  let s: Figures;
  try {
    s = await measure(slapd.port, slapd.rootDn, slapd.rootPw, (i) => userDn(`cold${i % COLD_USERS}`));
  } finally {
    await slapd.stop();
  }

  console.log(row('warm binds', p.warm, s.warm));
  console.log(row('recipient search', p.search, s.search));
  console.log(row('  all cached', p.searchCached, s.searchCached));
  console.log(row('cold binds', p.cold, s.cold));
  const targets = [
    ['warm binds ≥ 1.0× slapd', p.warm.opsPerSecond >= s.warm.opsPerSecond],
    ['recipient searches ≥ 1.0× slapd', p.search.opsPerSecond >= s.search.opsPerSecond],
    ['cold binds ≥ 0.9× slapd', p.cold.opsPerSecond >= 0.9 * s.cold.opsPerSecond],
    [`warm p99 < 5 ms at ${CONNECTIONS} connections`, p.warm.p99Ms < 5],
  ] as const;
  for (const [name, met] of targets) console.log(`${met ? 'met    ' : 'MISSED '} ${name}`);
}

await main();
