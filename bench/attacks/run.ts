/**
 * Attack simulation (not a test): the attack mix against the real guard and pipeline on simulated
 * time, in memory, as two cluster workers taking turns over the primary's state, and on Redis.
 * Prints, per attack, the guesses that reached a password check, and the legitimate logins refused
 * or delayed; and the guard's decision overhead.
 *   node --import tsx bench/attacks/run.ts [--no-redis]
 */
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { configSchema } from '../../src/config/schema.js';
import { buildGuard, type BuiltGuard } from '../../src/guard/build.js';
import { ManualClock } from '../../src/guard/clock.js';
import type { GuardAdmin } from '../../src/guard/admin.js';
import { MemoryState } from '../../src/guard/state/memory-state.js';
import { RemoteState } from '../../src/guard/state/remote-state.js';
import { StateHost } from '../../src/guard/state/state-host.js';
import { pipelineWith } from '../../src/guard/testing.js';
import { channelPair } from '../../src/cluster/channel.js';
import type { Attempt } from '../../src/pipeline/attempt.js';
import type { AttemptOutcome, Guard } from '../../src/pipeline/ports.js';
import { agents, ATTACKS, DURATION, mulberry32, passwords, toAttempt, type Agent, type Population } from './scenario.js';

interface Tally {
  attempts: number;
  checked: number; // reached the password check
  fullSpeed: number; // reached it with no delay
  guardRefused: number;
  delayed: number;
  succeeded: number;
  bannedAt: number | null;
}

const GUARD_REASONS = new Set(['banned', 'rate-limited', 'blocklisted']);

/** Times the guard's own work per attempt (precheck + record). */
class TimedGuard implements Guard {
  current = 0;
  constructor(private readonly inner: Guard) {}
  async precheck(...a: Parameters<Guard['precheck']>) {
    const t = performance.now();
    try { return await this.inner.precheck(...a); } finally { this.current += performance.now() - t; }
  }
  async record(...a: Parameters<Guard['record']>) {
    const t = performance.now();
    try { return await this.inner.record(...a); } finally { this.current += performance.now() - t; }
  }
}

/** Cluster workers taking turns: each attempt's pre-check and record go to the same worker. */
class TakingTurns implements Guard {
  private next = 0;
  private readonly byAttempt = new WeakMap<Attempt, Guard>();
  constructor(private readonly workers: Guard[]) {}
  precheck(a: Attempt) {
    const worker = this.workers[this.next++ % this.workers.length] as Guard;
    this.byAttempt.set(a, worker);
    return worker.precheck(a);
  }
  record(a: Attempt, outcome: AttemptOutcome) {
    return (this.byAttempt.get(a) ?? (this.workers[0] as Guard)).record(a, outcome);
  }
}

async function simulate(guard: Guard, admin: GuardAdmin, clock: ManualClock) {
  const timed = new TimedGuard(guard);
  const pipeline = pipelineWith(timed, passwords());
  const all = agents(mulberry32(42));
  const t0 = clock.now();
  const tallies = new Map<Population, Tally>();
  const tally = (p: Population) => tallies.get(p) ?? (tallies.set(p, { attempts: 0, checked: 0, fullSpeed: 0, guardRefused: 0, delayed: 0, succeeded: 0, bannedAt: null }).get(p) as Tally);
  const queue = new MinQueue<{ agent: Agent; step: number }>();
  for (const agent of all) queue.push(agent.start, { agent, step: 0 });
  const overhead: number[] = [];
  for (;;) {
    const item = queue.pop();
    if (!item || item.at > DURATION) break;
    const { agent, step } = item.value;
    const next = agent.next(step);
    if (!next) continue;
    clock.set(t0 + item.at * 1000);
    timed.current = 0;
    const d = await pipeline.decide(toAttempt(agent, next.login, next.secret));
    overhead.push(timed.current);
    const t = tally(agent.population);
    t.attempts++;
    const refusedByGuard = !d.ok && GUARD_REASONS.has(d.reason);
    if (refusedByGuard) t.guardRefused++;
    else {
      t.checked++;
      if (d.delaySeconds === 0) t.fullSpeed++;
    }
    if (d.delaySeconds > 0) t.delayed++;
    if (d.ok) t.succeeded++;
    if (refusedByGuard && !d.ok && d.reason === 'banned' && agent.stopsWhenBanned) {
      t.bannedAt ??= item.at;
      continue; // this attacker is stopped
    }
    queue.push(item.at + d.delaySeconds + agent.pause, { agent, step: step + 1 });
  }
  const legitIps = new Set(all.filter((a) => !ATTACKS.includes(a.population)).map((a) => a.ip));
  const bannedLegit = admin.listBans().filter((b) => (b.target.kind === 'ip' || b.target.kind === 'iplogin') && legitIps.has(b.target.ip) || (b.target.kind === 'cidr' && [...legitIps].some((ip) => ip.startsWith(b.target.kind === 'cidr' ? b.target.cidr.split('.').slice(0, 3).join('.') + '.' : '-'))));
  return { tallies, overhead, bannedLegit: bannedLegit.length };
}

function report(name: string, r: Awaited<ReturnType<typeof simulate>>): void {
  console.log(`\n== ${name} ==`);
  const rows: Record<string, object> = {};
  for (const [p, t] of r.tallies) {
    rows[p] = ATTACKS.includes(p)
      ? { attempts: t.attempts, 'reached check': t.checked, 'at full speed': t.fullSpeed, 'full-speed %': +((100 * t.fullSpeed) / t.attempts).toFixed(2), 'stopped by guard': t.guardRefused }
      : { attempts: t.attempts, succeeded: t.succeeded, 'refused by guard': t.guardRefused, delayed: t.delayed };
  }
  console.table(rows);
  const sorted = [...r.overhead].sort((a, b) => a - b);
  const q = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(3);
  console.log(`legitimate addresses banned: ${r.bannedLegit}`);
  console.log(`guard overhead per attempt (precheck+record), ms: p50 ${q(0.5)}  p99 ${q(0.99)}  max ${q(1)}  over ${sorted.length} attempts`);
}

class MinQueue<T> {
  private heap: Array<{ at: number; value: T }> = [];
  push(at: number, value: T): void {
    const h = this.heap;
    h.push({ at, value });
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if ((h[p] as { at: number }).at <= at) break;
      [h[p], h[i]] = [h[i] as { at: number; value: T }, h[p] as { at: number; value: T }];
      i = p;
    }
  }
  pop(): { at: number; value: T } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && (h[l] as { at: number }).at < (h[m] as { at: number }).at) m = l;
        if (r < h.length && (h[r] as { at: number }).at < (h[m] as { at: number }).at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i] as { at: number; value: T }, h[m] as { at: number; value: T }];
        i = m;
      }
    }
    return top;
  }
}

async function run(label: string, redisUrl: string | null): Promise<void> {
  const clock = new ManualClock();
  const config = configSchema.parse(redisUrl ? { redis: { url: redisUrl, keyPrefix: `bench${randomUUID()}:` } } : {});
  const built = await buildGuard(config, { clock: clock.now, registry: new Registry() });
  try {
    if (redisUrl && built.state.degraded) throw new Error('redis unreachable');
    const started = performance.now();
    const r = await simulate(built.guard, built.guard.admin, clock);
    report(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s wall clock for ${DURATION / 3600} h simulated)`, r);
  } finally {
    await built.close();
  }
}

/** Two workers' guards over RemoteStates, the primary's StateHost in this same process. */
async function runCluster(): Promise<void> {
  const clock = new ManualClock();
  const config = configSchema.parse({});
  const host = new StateHost(new MemoryState(config.guard.limits));
  const workers: BuiltGuard[] = [];
  for (let i = 0; i < 2; i++) {
    const [primaryEnd, workerEnd] = channelPair();
    host.attach(primaryEnd);
    const state = new RemoteState(workerEnd, { maxSubjects: config.guard.limits.maxSubjects });
    await state.start(clock.now());
    workers.push(await buildGuard(config, { clock: clock.now, registry: new Registry(), state }));
  }
  try {
    const started = performance.now();
    const r = await simulate(new TakingTurns(workers.map((w) => w.guard)), (workers[0] as BuiltGuard).guard.admin, clock);
    report(`2 cluster workers taking turns (${((performance.now() - started) / 1000).toFixed(1)} s wall clock for ${DURATION / 3600} h simulated)`, r);
  } finally {
    for (const w of workers) await w.close();
  }
}

await run('memory', null);
await runCluster();
if (!process.argv.includes('--no-redis')) {
  await run('redis', process.env.PORTCULLIS_BENCH_REDIS ?? 'redis://127.0.0.1:6379').catch((err: unknown) => console.log(`\n== redis == skipped: ${String(err)}`));
}
