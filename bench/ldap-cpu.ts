/**
 * CPU per LDAP operation (not throughput: the machine is shared and noisy). The server serves N
 * warm binds and N filterMailbox searches; its CPU-time delta (user + system) over N is the cost
 * per op, and the load generator's own delta is reported beside it. Each search round takes
 * OPS/2 addresses not searched before, each twice (first read, then warm; as in ldap.bench.ts),
 * then the same OPS again (all warm), then OPS/2 other addresses once each (first reads only).
 * BENCH_TARGET=portcullis (default) or slapd (its CPU read
 * from /proc). BENCH_CONNECTIONS (32), BENCH_OPS (20000), BENCH_ROUNDS (3), BENCH_ONLY (bind or
 * search), BENCH_PROFILE=<dir>: CPU profile of the Portcullis child over the measured rounds
 * (with BENCH_PROFILE_PHASE=<line name>, e.g. 'search 1st': over that phase only, one file per round).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hash as argon2 } from '@node-rs/argon2';
import { runLoad, type LoadOptions } from './lib/ldap-load.js';
import { startSlapd } from '../test/peers/slapd.js';
import type { ProtocolOp } from '../src/frontends/ldap/protocol/index.js';
import { BENCH_PASSWORD, bindRequest, mailboxSearch } from './lib/ldap-requests.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAIRED = (OPS / 2) * ROUNDS;
/** The first paired users serve the 1st+2nd and warm rounds; the rest are searched once each. */
const USERS = PAIRED * 2;
const BASE = 'dc=example,dc=org';
const PASSWORD = BENCH_PASSWORD;
const ONLY = process.env.BENCH_ONLY ?? '';
const TARGET = process.env.BENCH_TARGET ?? 'portcullis';
const PROFILE = process.env.BENCH_PROFILE ?? '';
const PROFILE_PHASE = process.env.BENCH_PROFILE_PHASE ?? '';

const bind = bindRequest;
const mailbox = (address: string): ProtocolOp => mailboxSearch(address, BASE);
const userDn = (name: string): string => `uid=${name},ou=users,${BASE}`;
const pick = (i: number, round: number): number => (((i % (OPS / 2)) + (round * OPS) / 2) * 7919) % PAIRED;
const pickFirst = (i: number, round: number): number => PAIRED + ((((i % (OPS / 2)) + (round * OPS) / 2) * 7919) % PAIRED);

interface Target {
  port: number;
  service: ProtocolOp;
  /** CPU µs (user, system) used so far. */
  cpu(): Promise<{ user: number; system: number }>;
  send?(m: object, reply: string): Promise<void>;
  stop(): Promise<void>;
}

async function portcullis(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/ldap-portcullis-child.ts'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_USERS: String(USERS), BENCH_HASH: await argon2(PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 }) },
  });
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^\{"port":(\d+)\}$/.exec(line)?.[1];
      if (m !== undefined) resolve(Number(m));
    });
  });
  const ask = <T>(m: object, key: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (r: unknown): void => {
        if (typeof r === 'object' && r !== null && key in r) {
          child.off('message', on);
          resolve((r as Record<string, T>)[key] as T);
        }
      };
      child.on('message', on);
      child.send(m);
    });
  return {
    port,
    service: bind(`cn=stalwart,ou=services,${BASE}`, 'service password 1'),
    cpu: () => ask<NodeJS.CpuUsage>({ cpu: true }, 'cpu'),
    send: async (m, reply) => void (await ask(m, reply)),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function ssha(password: string): string {
  const salt = randomBytes(8);
  return Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64');
}

async function slapd(): Promise<Target> {
  const entries = [`dn: ou=users,${BASE}\nobjectClass: organizationalUnit\nou: users\n`];
  for (let i = 0; i < USERS; i++) entries.push(`dn: uid=user${i},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: user${i}\ncn: user${i}\nsn: ${i}\nmail: user${i}@example.org\nuserPassword: {SSHA}${ssha(PASSWORD)}\n`);
  const s = await startSlapd({ ldif: entries.join('\n'), logLevel: '0' });
  const pid = readFileSync(join(s.dir, 'slapd.pid'), 'utf8').trim();
  const tick = 1e6 / 100; // USER_HZ
  return {
    port: s.port,
    service: bind(s.rootDn, s.rootPw),
    cpu: async () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
    },
    stop: () => s.stop(),
  };
}

const target = TARGET === 'slapd' ? await slapd() : await portcullis();
const { port } = target;

async function measure(name: string, o: LoadOptions): Promise<void> {
  const profiled = PROFILE !== '' && PROFILE_PHASE === name;
  if (profiled) await target.send?.({ profile: 'start' }, 'profiling');
  const s0 = await target.cpu();
  const l0 = process.cpuUsage();
  const r = await runLoad(o);
  const l = process.cpuUsage(l0);
  const s1 = await target.cpu();
  if (profiled) await target.send?.({ profile: join(PROFILE, `ldap-${name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`) }, 'profiled');
  const user = s1.user - s0.user;
  const sys = s1.system - s0.system;
  const load = l.user + l.system;
  const per = (us: number): string => (us / r.ops).toFixed(1).padStart(6);
  console.log(
    `${name.padEnd(14)} ${TARGET} ${per(user + sys)} µs/op (user ${per(user)} sys ${per(sys)}) | loadgen ${per(load)} µs/op (${((100 * load) / (load + user + sys)).toFixed(0)}% of both) | ${r.opsPerSecond.toFixed(0)}/s p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} ms${r.failures ? ` ${r.failures} failed` : ''}`,
  );
}

await runLoad({ port, connections: CONNECTIONS, totalOps: CONNECTIONS, op: (c) => bind(userDn(`user${c}`)) });
// One untimed warm-up of the code paths (its addresses are not reused by the rounds).
await runLoad({ port, connections: CONNECTIONS, totalOps: 2000, setup: target.service, op: (_c, i) => mailbox(`other${i}@example.org`) });
if (PROFILE && !PROFILE_PHASE) await target.send?.({ profile: 'start' }, 'profiling');
for (let round = 0; round < ROUNDS; round++) {
  if (ONLY !== 'search') await measure('warm binds', { port, connections: CONNECTIONS, totalOps: OPS, op: (c) => bind(userDn(`user${c}`)) });
  if (ONLY !== 'bind') await measure('search 1st+2nd', { port, connections: CONNECTIONS, totalOps: OPS, setup: target.service, op: (_c, i) => mailbox(`user${pick(i, round)}@example.org`) });
  if (ONLY !== 'bind') await measure('search warm', { port, connections: CONNECTIONS, totalOps: OPS, setup: target.service, op: (_c, i) => mailbox(`user${pick(i, round)}@example.org`) });
  if (ONLY !== 'bind') await measure('search 1st', { port, connections: CONNECTIONS, totalOps: OPS / 2, setup: target.service, op: (_c, i) => mailbox(`user${pickFirst(i, round)}@example.org`) });
}
if (PROFILE && !PROFILE_PHASE) await target.send?.({ profile: join(PROFILE, `ldap-${Date.now()}.cpuprofile`) }, 'profiled');
await target.stop();
