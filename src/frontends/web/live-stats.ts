/**
 * The dashboard's live counts: a ring of fixed-width buckets (10 s by default, an hour kept) fed by
 * a pipeline observer. In memory by design: it shows what this node sees right now; a node of
 * several processes adds up every process's buckets (exportBuckets) into one snapshot.
 * Every per-bucket map is capped, so a flood of random logins or addresses cannot grow it.
 */
import type { Attempt } from '../../pipeline/attempt.js';
import type { Decision } from '../../pipeline/decision.js';
import type { PipelineObserver } from '../../pipeline/pipeline.js';
import { networkOf, parseIp } from '../../guard/net.js';

export type Outcome = 'accepted' | 'failed' | 'blocked';
const BLOCKING = new Set(['banned', 'rate-limited', 'blocklisted']);
const MAX_KEYS = 500;

interface Bucket {
  start: number;
  outcomes: Record<Outcome, number>;
  /** "<protocol>|<outcome>" → count. */
  byProtocol: Map<string, number>;
  ipFailures: Map<string, number>;
  netFailures: Map<string, number>;
  /** login → failures and the addresses they came from. */
  accountFailures: Map<string, { failures: number; ips: Set<string> }>;
}

/** A bucket as plain data, another process's included: each field iterates like the Bucket's map. */
export interface BucketData {
  start: number;
  outcomes: Record<Outcome, number>;
  byProtocol: Array<[string, number]>;
  ipFailures: Array<[string, number]>;
  netFailures: Array<[string, number]>;
  accountFailures: Array<[string, { failures: number; ips: string[] }]>;
}

/** What snapshot() reads of a bucket, local or exported. */
interface BucketView {
  start: number;
  outcomes: Record<Outcome, number>;
  byProtocol: Iterable<[string, number]>;
  ipFailures: Iterable<[string, number]>;
  netFailures: Iterable<[string, number]>;
  accountFailures: Iterable<[string, { failures: number; ips: Iterable<string> }]>;
}

export interface SeriesPoint {
  t: number;
  accepted: number;
  failed: number;
  blocked: number;
  byProtocol: Record<string, Record<Outcome, number>>;
}

export interface StatsSnapshot {
  now: number;
  bucketSeconds: number;
  windowSeconds: number;
  totals: Record<Outcome, number>;
  series: SeriesPoint[];
  topIps: Array<{ ip: string; failures: number }>;
  topNetworks: Array<{ network: string; failures: number }>;
  accountsUnderAttack: Array<{ login: string; failures: number; addresses: number }>;
}

export interface LiveStatsOptions {
  bucketSeconds: number;
  buckets: number;
  networkPrefix: { ipv4: number; ipv6: number };
  now: () => number;
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  const current = map.get(key);
  if (current !== undefined) map.set(key, current + by);
  else if (map.size < MAX_KEYS) map.set(key, by);
}

export class LiveStats implements PipelineObserver {
  private readonly ring: Array<Bucket | undefined>;
  private readonly width: number;

  constructor(private readonly options: LiveStatsOptions) {
    this.ring = new Array<Bucket | undefined>(options.buckets);
    this.width = options.bucketSeconds * 1000;
  }

  decided(attempt: Attempt, decision: Decision): void {
    if (attempt.mode !== 'authenticate') return;
    const bucket = this.bucketAt(this.options.now());
    const outcome: Outcome = decision.ok ? 'accepted' : BLOCKING.has(decision.reason) ? 'blocked' : 'failed';
    bucket.outcomes[outcome]++;
    bump(bucket.byProtocol, `${attempt.protocol}|${outcome}`);
    if (outcome !== 'failed') return;
    const parsed = attempt.clientIp !== null ? parseIp(attempt.clientIp) : null;
    if (parsed && attempt.clientIp !== null) {
      bump(bucket.ipFailures, attempt.clientIp);
      const bits = parsed.family === 4 ? this.options.networkPrefix.ipv4 : this.options.networkPrefix.ipv6;
      bump(bucket.netFailures, networkOf(parsed, bits));
    }
    const login = attempt.login.trim().toLowerCase().slice(0, 256);
    let account = bucket.accountFailures.get(login);
    if (!account && bucket.accountFailures.size < MAX_KEYS) bucket.accountFailures.set(login, (account = { failures: 0, ips: new Set() }));
    if (account) {
      account.failures++;
      if (attempt.clientIp !== null && account.ips.size < MAX_KEYS) account.ips.add(attempt.clientIp);
    }
  }

  /** This process's buckets of the last `windowSeconds`, for a node-wide snapshot elsewhere. */
  exportBuckets(windowSeconds = 900): BucketData[] {
    const out: BucketData[] = [];
    for (const t of this.starts(windowSeconds)) {
      const b = this.live(t);
      if (!b) continue;
      out.push({
        start: b.start,
        outcomes: { ...b.outcomes },
        byProtocol: [...b.byProtocol],
        ipFailures: [...b.ipFailures],
        netFailures: [...b.netFailures],
        accountFailures: [...b.accountFailures].map(([login, a]) => [login, { failures: a.failures, ips: [...a.ips] }]),
      });
    }
    return out;
  }

  /**
   * The last `windowSeconds` (at most the ring), oldest point first, empty buckets included: of this
   * process's buckets, or of the given ones (every process's, exported).
   */
  snapshot(windowSeconds = 900, top = 10, buckets?: BucketData[]): StatsSnapshot {
    const now = this.options.now();
    const starts = this.starts(windowSeconds);
    const byStart = new Map<number, BucketView[]>();
    for (const b of buckets ?? starts.flatMap((t) => this.live(t) ?? [])) byStart.set(b.start, [...(byStart.get(b.start) ?? []), b]);
    const totals: Record<Outcome, number> = { accepted: 0, failed: 0, blocked: 0 };
    const series: SeriesPoint[] = [];
    const ips = new Map<string, number>();
    const nets = new Map<string, number>();
    const accounts = new Map<string, { failures: number; ips: Set<string> }>();
    for (const t of starts) {
      const point: SeriesPoint = { t, accepted: 0, failed: 0, blocked: 0, byProtocol: {} };
      for (const bucket of byStart.get(t) ?? []) {
        for (const o of ['accepted', 'failed', 'blocked'] as const) {
          point[o] += bucket.outcomes[o];
          totals[o] += bucket.outcomes[o];
        }
        for (const [key, n] of bucket.byProtocol) {
          const [protocol = '', outcome = 'failed'] = key.split('|');
          const entry = (point.byProtocol[protocol] ??= { accepted: 0, failed: 0, blocked: 0 });
          entry[outcome as Outcome] += n;
        }
        for (const [ip, n] of bucket.ipFailures) ips.set(ip, (ips.get(ip) ?? 0) + n);
        for (const [net, n] of bucket.netFailures) nets.set(net, (nets.get(net) ?? 0) + n);
        for (const [login, a] of bucket.accountFailures) {
          const sum = accounts.get(login) ?? { failures: 0, ips: new Set<string>() };
          sum.failures += a.failures;
          for (const ip of a.ips) sum.ips.add(ip);
          accounts.set(login, sum);
        }
      }
      series.push(point);
    }
    const ranked = <T>(map: Map<string, T>, score: (v: T) => number) => [...map].sort((a, b) => score(b[1]) - score(a[1])).slice(0, top);
    return {
      now,
      bucketSeconds: this.options.bucketSeconds,
      windowSeconds: starts.length * this.options.bucketSeconds,
      totals,
      series,
      topIps: ranked(ips, (n) => n).map(([ip, failures]) => ({ ip, failures })),
      topNetworks: ranked(nets, (n) => n).map(([network, failures]) => ({ network, failures })),
      accountsUnderAttack: ranked(accounts, (a) => a.failures)
        .filter(([, a]) => a.failures >= 3)
        .map(([login, a]) => ({ login, failures: a.failures, addresses: a.ips.size })),
    };
  }

  /** Bucket start times of the window, oldest first. */
  private starts(windowSeconds: number): number[] {
    const count = Math.max(1, Math.min(this.ring.length, Math.ceil(windowSeconds / this.options.bucketSeconds)));
    const current = Math.floor(this.options.now() / this.width) * this.width;
    return Array.from({ length: count }, (_, i) => current - (count - 1 - i) * this.width);
  }

  private slot(t: number): number {
    return Math.floor(t / this.width) % this.ring.length;
  }

  private live(start: number): Bucket | undefined {
    const bucket = this.ring[this.slot(start)];
    return bucket && bucket.start === start ? bucket : undefined;
  }

  private bucketAt(nowMs: number): Bucket {
    const start = Math.floor(nowMs / this.width) * this.width;
    const existing = this.live(start);
    if (existing) return existing;
    const bucket: Bucket = {
      start,
      outcomes: { accepted: 0, failed: 0, blocked: 0 },
      byProtocol: new Map(),
      ipFailures: new Map(),
      netFailures: new Map(),
      accountFailures: new Map(),
    };
    this.ring[this.slot(start)] = bucket;
    return bucket;
  }
}
