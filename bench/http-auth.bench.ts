/**
 * Warm-path HTTP auth throughput and p99 against /api/v1/auth/json and /api/v1/auth/nginx (verification
 * cache hits), compared with a bare node:http server under the same load tool (the transport ceiling:
 * one process, as issue 4 measures it; the same server on as many processes as Portcullis is shown
 * beside it); then the cold path: argon2id verifications per second with 1 and 2 threads.
 * Run: node --import tsx bench/http-auth.bench.ts   Needs wrk (apt-get install wrk).
 * Env: BENCH_CONNECTIONS (64), BENCH_SECONDS (8), BENCH_WRK_THREADS (1), BENCH_COLD_SECONDS (4),
 * BENCH_WORKERS (2: Portcullis on both cores).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/children.js';
import { jsonRequest, nginxRequest } from './lib/http-requests.js';
import { haveWrk, runWrk, type LoadResult } from './lib/wrk.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WRK_THREADS = Number(process.env.BENCH_WRK_THREADS ?? 1);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const lib = (name: string): string => fileURLToPath(new URL(`./lib/${name}`, import.meta.url));


const fmt = (r: LoadResult): string => `${r.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms${r.non2xx ? `  non-2xx ${r.non2xx}` : ''}${r.errors ? `  ${r.errors}` : ''}`;

async function warm(): Promise<void> {
  const load = { connections: CONNECTIONS, seconds: SECONDS, threads: WRK_THREADS };
  const bareOn = async (workers: number): Promise<LoadResult> => {
    const bare = await startChild(lib('bare-server.ts'), { BENCH_WORKERS: String(workers) });
    try {
      runWrk(bare.port, jsonRequest, { ...load, seconds: 2 }); // JIT warm-up
      return runWrk(bare.port, jsonRequest, load);
    } finally {
      await bare.stop();
    }
  };
  const ceiling = await bareOn(1);
  const bareSame = WORKERS > 1 ? await bareOn(WORKERS) : null;

  const portcullis = await startChild(lib('portcullis-server.ts'), { BENCH_WORKERS: String(WORKERS) });
  try {
    runWrk(portcullis.port, jsonRequest, { ...load, seconds: 2 }); // fills the verification cache, warms the JIT
    runWrk(portcullis.port, nginxRequest, { ...load, seconds: 2 });
    const json = runWrk(portcullis.port, jsonRequest, load);
    const nginx = runWrk(portcullis.port, nginxRequest, load);
    console.log(`warm path, ${CONNECTIONS} connections, ${SECONDS} s, wrk -t${WRK_THREADS}; Portcullis with ${WORKERS} worker process${WORKERS > 1 ? 'es' : ''}`);
    console.log(`  ceiling (bare node:http, 1 process)  ${fmt(ceiling)}`);
    if (bareSame) console.log(`  bare node:http, ${WORKERS} processes      ${fmt(bareSame)}`);
    for (const [name, r] of [['/api/v1/auth/json', json], ['/api/v1/auth/nginx', nginx]] as const) {
      const ratio = r.requestsPerSecond / ceiling.requestsPerSecond;
      const verdict = ratio >= 0.7 && r.p99Ms < 10 ? 'meets' : 'MISSES';
      const same = bareSame ? `, ${(r.requestsPerSecond / bareSame.requestsPerSecond).toFixed(2)}× of bare on ${WORKERS}` : '';
      console.log(`  ${name.padEnd(36)} ${fmt(r)}  ratio ${ratio.toFixed(2)}${same}  (${verdict} ≥0.7× of the ceiling and p99 < 10 ms)`);
    }
  } finally {
    await portcullis.stop();
  }
}

function cold(): void {
  console.log('cold path: argon2id verifications per second (OWASP m=19 MiB, t=2, p=1), UV_THREADPOOL_SIZE = threads');
  for (const threads of [1, 2]) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', lib('argon2-cold.ts'), String(threads)], {
      encoding: 'utf8',
      env: { ...process.env, UV_THREADPOOL_SIZE: String(threads) },
    });
    const { perSecond } = JSON.parse(out) as { perSecond: number };
    console.log(`  ${threads} thread${threads > 1 ? 's' : ' '}  ${perSecond.toFixed(1)} verifications/s`);
  }
}

if (!haveWrk()) {
  console.log('wrk not found: apt-get install wrk (the warm-path bench needs it); running the cold path only');
} else {
  await warm();
}
cold();
