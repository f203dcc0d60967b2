/**
 * Server CPU per warm HTTP auth request (not throughput: the machine is shared and noisy). wrk drives
 * warm requests (verification cache hits) at /api/v1/auth/json and /api/v1/auth/nginx; the server
 * child's CPU-time delta (user + system, from /proc/<pid>/stat) over the requests wrk completed is
 * the cost per request. The same load against a bare node:http server and a bare Fastify server
 * answering a fixed body gives the floors. Run: node --import tsx bench/http-cpu.ts
 * With BENCH_WORKERS > 1 (cluster workers) the CPU of every worker is counted.
 * Env: BENCH_CONNECTIONS (64), BENCH_SECONDS (4), BENCH_ROUNDS (3), BENCH_ONLY (portcullis, bare,
 * fastify; comma-separated), BENCH_PROFILE=<dir>: a CPU profile of the Portcullis child (whole run).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './lib/children.js';
import { jsonRequest, nginxRequest } from './lib/http-requests.js';
import { haveWrk, runWrk, type LoadRequest } from './lib/wrk.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const PROFILE = process.env.BENCH_PROFILE ?? '';
const lib = (name: string): string => fileURLToPath(new URL(`./lib/${name}`, import.meta.url));


const TICK_US = 1e6 / 100; // USER_HZ

/** /proc/<pid>/stat fields after the command: [1] is the parent pid, [11] and [12] user and system ticks. */
function statOf(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  } catch {
    return []; // gone meanwhile
  }
}

/** CPU µs used so far (user, system) by the process and its descendants (cluster workers, BENCH_WORKERS > 1). */
function cpuOf(pid: number): { user: number; system: number } {
  const parents = new Map<string, string>();
  for (const p of readdirSync('/proc')) if (/^\d+$/.test(p)) parents.set(p, statOf(p)[1] ?? '');
  const tree = new Set([String(pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, parent] of parents) {
      if (tree.has(p) || !tree.has(parent)) continue;
      tree.add(p);
      grew = true;
    }
  }
  let user = 0;
  let system = 0;
  for (const p of tree) {
    const fields = statOf(p);
    user += Number(fields[11] ?? 0) * TICK_US;
    system += Number(fields[12] ?? 0) * TICK_US;
  }
  return { user, system };
}

const load = { connections: CONNECTIONS, seconds: SECONDS, threads: 1 };

function measure(child: Child, name: string, req: LoadRequest): number {
  const pid = child.process.pid ?? 0;
  const before = cpuOf(pid);
  const r = runWrk(child.port, req, load);
  const after = cpuOf(pid);
  const user = (after.user - before.user) / r.requests;
  const sys = (after.system - before.system) / r.requests;
  const bad = r.non2xx ? `  non-2xx ${r.non2xx}` : '';
  console.log(
    `  ${name.padEnd(28)} ${(user + sys).toFixed(1).padStart(6)} µs/req (user ${user.toFixed(1).padStart(5)} sys ${sys.toFixed(1).padStart(5)})  ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s p99 ${r.p99Ms.toFixed(2)} ms${bad}${r.errors ? `  ${r.errors}` : ''}`,
  );
  return user + sys;
}

async function target(name: string, script: string, requests: Array<[string, LoadRequest]>, profile = false): Promise<void> {
  if (ONLY && !ONLY.includes(name)) return;
  const child = profile && PROFILE ? await startChild(lib('profiled.ts'), { BENCH_PROFILED: lib(script), BENCH_PROFILE: PROFILE }) : await startChild(lib(script));
  try {
    for (const [, req] of requests) runWrk(child.port, req, { ...load, seconds: 2 }); // fills the cache, warms the JIT
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, req] of requests) {
        const us = measure(child, `${name} ${label}`, req);
        best.set(label, Math.min(best.get(label) ?? Infinity, us));
      }
    }
    console.log(`  => ${name}: ${[...best].map(([label, us]) => `${label} ${us.toFixed(1)} µs`).join(', ')} (best of ${ROUNDS})`);
  } finally {
    await child.stop();
  }
}

if (!haveWrk()) {
  console.log('wrk not found: apt-get install wrk');
  process.exit(1);
}
console.log(`server CPU per warm request, wrk -t1 -c${CONNECTIONS}, ${SECONDS} s per round`);
await target('bare', 'bare-server.ts', [['node:http', jsonRequest]]);
await target('fastify', 'bare-fastify.ts', [['/json', jsonRequest], ['/nginx', nginxRequest]]);
await target('portcullis', 'portcullis-server.ts', [['/json', jsonRequest], ['/nginx', nginxRequest]], true);
