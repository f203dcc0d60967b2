/**
 * DNSBL/RBL checks: every configured list queried in parallel with its own timeout, answers scored
 * by weight against a threshold, results cached (listed and clean), errors failing open or closed per list.
 */
import { promises as dns } from 'node:dns';
import type { DnsblConfig } from '../../config/sections/guard.js';
import type { Clock } from '../clock.js';
import type { GuardMetrics } from '../metrics.js';
import { isPrivateOrLoopback, type ParsedIp } from '../net.js';
import { dnsblQueryName } from './names.js';
import { TtlCache } from './ttl-cache.js';

export interface DnsblListResult {
  zone: string;
  result: 'listed' | 'clean' | 'error' | 'skipped';
  /** The A records answered (listed) or the error code. */
  detail?: string;
}

export interface DnsblVerdict {
  score: number;
  blocked: boolean;
  lists: DnsblListResult[];
}

type List = DnsblConfig['lists'][number];

const NOT_LISTED = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);
/** Answers with errors are retried soon: a flapping resolver must not pin a verdict for long. */
const ERROR_CACHE_SECONDS = 30;

export class DnsblChecker {
  private readonly cache: TtlCache<DnsblVerdict>;
  private readonly inflight = new Map<string, Promise<DnsblVerdict>>();
  private readonly resolvers: dns.Resolver[];

  constructor(
    private readonly config: DnsblConfig,
    clock: Clock,
    private readonly metrics?: GuardMetrics,
  ) {
    this.cache = new TtlCache(config.cacheMaxEntries, clock);
    this.resolvers = config.lists.map((l) => {
      const r = new dns.Resolver({ timeout: l.timeoutMs, tries: 1 });
      if (config.servers?.length) r.setServers(config.servers);
      return r;
    });
  }

  get active(): boolean {
    return this.config.enabled && this.config.lists.length > 0;
  }

  /** null when the address is not checked (disabled, private). */
  async check(ip: ParsedIp, text: string): Promise<DnsblVerdict | null> {
    if (!this.active) return null;
    if (!this.config.checkPrivate && isPrivateOrLoopback(ip)) return null;
    const cached = this.cache.get(text);
    if (cached) return cached;
    let pending = this.inflight.get(text);
    if (!pending) {
      // Concurrent attempts from one address share one set of queries.
      pending = this.lookup(ip, text).finally(() => this.inflight.delete(text));
      this.inflight.set(text, pending);
    }
    return pending;
  }

  private async lookup(ip: ParsedIp, key: string): Promise<DnsblVerdict> {
    const lists = await Promise.all(this.config.lists.map((l, i) => this.queryList(l, this.resolvers[i], ip)));
    let score = 0;
    lists.forEach((r, i) => {
      const list = this.config.lists[i];
      if (!list) return;
      if (r.result === 'listed' || (r.result === 'error' && list.onError === 'closed')) score += list.weight;
    });
    const verdict: DnsblVerdict = { score, blocked: score > 0 && score >= this.config.threshold, lists };
    const ttl = lists.some((r) => r.result === 'error')
      ? Math.min(ERROR_CACHE_SECONDS, this.config.negativeCacheSeconds)
      : score > 0
        ? this.config.cacheSeconds
        : this.config.negativeCacheSeconds;
    this.cache.set(key, verdict, ttl);
    return verdict;
  }

  private async queryList(list: List, resolver: dns.Resolver | undefined, ip: ParsedIp): Promise<DnsblListResult> {
    if (!resolver || (ip.family === 6 && !list.ipv6)) return { zone: list.zone, result: 'skipped' };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), list.timeoutMs);
      });
      const answers = await Promise.race([resolver.resolve4(dnsblQueryName(ip, list.zone)), timeout]);
      const hits = answers.filter((a) => matches(list, a));
      this.metrics?.dnsblAnswers.inc({ list: list.zone, result: hits.length ? 'listed' : 'clean' });
      return hits.length ? { zone: list.zone, result: 'listed', detail: hits.join(',') } : { zone: list.zone, result: 'clean' };
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      const result = NOT_LISTED.has(code) ? 'clean' : 'error';
      this.metrics?.dnsblAnswers.inc({ list: list.zone, result });
      return result === 'clean' ? { zone: list.zone, result } : { zone: list.zone, result, detail: code };
    } finally {
      clearTimeout(timer);
      this.metrics?.dnsblSeconds.observe({ list: list.zone }, (performance.now() - started) / 1000);
    }
  }

  clearCache(): void {
    this.cache.clear();
  }
}

function matches(list: List, answer: string): boolean {
  if (list.returnCodes.length === 0) return answer.startsWith('127.');
  return list.returnCodes.includes(answer);
}
