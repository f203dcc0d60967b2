/**
 * The configured rules as the guard applies them: which counter each reads, how long counters are
 * kept, thresholds raised for networks with many good logins, and the delay a count earns.
 */
import type { GuardConfig, GuardRule } from '../config/sections/guard.js';
import type { SetName, SubjectOp } from './state/state.js';
import { subjectKey, type Who } from './subjects.js';

export type Scope = GuardRule['scope'];
export const SCOPES: readonly Scope[] = ['ip', 'network', 'account', 'ip+account'];

/** A rule that reached its threshold. */
export interface Hit {
  rule: GuardRule;
  count: number;
  threshold: number;
}

export function setOf(counts: GuardRule['counts']): SetName {
  switch (counts) {
    case 'failures':
    case 'distinct-fingerprints':
      return 'fail'; // members are fingerprints: an identical wrong secret repeated counts once
    case 'distinct-accounts':
      return 'facct';
    case 'distinct-ips':
      return 'fip';
  }
}

export function subjectOf(scope: Scope, who: Who): string | null {
  switch (scope) {
    case 'ip':
      return who.ip !== null ? subjectKey.ip(who.ip) : null;
    case 'network':
      return who.network !== null ? subjectKey.network(who.network) : null;
    case 'account':
      return who.login !== null ? subjectKey.account(who.login) : null;
    case 'ip+account':
      return who.ip !== null && who.login !== null ? subjectKey.ipAccount(who.ip, who.login) : null;
  }
}

export class RuleBook {
  readonly rules: GuardRule[];
  private readonly retain = new Map<string, number>();
  /** of()'s answers, worked out once: every attempt asks. */
  private readonly byScope = new Map<Scope, Record<'all' | 'delay' | 'ban', readonly GuardRule[]>>();

  constructor(private readonly config: GuardConfig) {
    this.rules = config.rules.filter((r) => r.enabled);
    for (const r of this.rules) {
      const key = `${r.scope}|${setOf(r.counts)}`;
      this.retain.set(key, Math.max(this.retain.get(key) ?? 0, r.windowSeconds * 1000));
    }
    for (const scope of SCOPES) {
      const all = this.rules.filter((r) => r.scope === scope);
      this.byScope.set(scope, { all, delay: all.filter((r) => r.action.type === 'delay'), ban: all.filter((r) => r.action.type === 'ban') });
    }
  }

  of(scope: Scope, action?: 'delay' | 'ban'): readonly GuardRule[] {
    return this.byScope.get(scope)?.[action ?? 'all'] ?? [];
  }

  /** How long a set is kept: the longest window reading it (at least a minute, so adds are never lost). */
  retainMs(scope: Scope, set: SetName): number {
    if (set === 'ok') return this.config.tolerance.windowSeconds * 1000;
    if (set === 'okip' || set === 'okdev') return this.config.knownGoodSeconds * 1000;
    return Math.max(60_000, this.retain.get(`${scope}|${set}`) ?? 0);
  }

  /** Whether anything reads this set; sets nobody reads are not written. */
  used(scope: Scope, set: SetName): boolean {
    return this.retain.has(`${scope}|${set}`);
  }

  /** Count requests for these rules, plus the good-login count that raises ip/network thresholds. */
  counting(rules: readonly GuardRule[], nowMs: number): { count: NonNullable<SubjectOp['count']>; okIndex: number | null } {
    const count = rules.map((r) => ({ set: setOf(r.counts), sinceMs: nowMs - r.windowSeconds * 1000 }));
    const tolerant = rules.some((r) => r.scope === 'ip' || r.scope === 'network') && this.config.tolerance.ratio > 0;
    if (!tolerant) return { count, okIndex: null };
    count.push({ set: 'ok', sinceMs: nowMs - this.config.tolerance.windowSeconds * 1000 });
    return { count, okIndex: count.length - 1 };
  }

  /** Rules reached, given counts in the order counting() asked for them. */
  hits(rules: readonly GuardRule[], counts: number[], okIndex: number | null): Hit[] {
    const good = okIndex !== null ? (counts[okIndex] ?? 0) : 0;
    const out: Hit[] = [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as GuardRule;
      const count = counts[i] ?? 0;
      const threshold = this.threshold(rule, good);
      if (count >= threshold) out.push({ rule, count, threshold });
    }
    return out;
  }

  /** Offices behind NAT: every distinct account that logged in from there raises the bar by `ratio`. */
  threshold(rule: GuardRule, goodAccounts: number): number {
    if (rule.scope !== 'ip' && rule.scope !== 'network') return rule.threshold;
    return rule.threshold + Math.floor(goodAccounts * this.config.tolerance.ratio);
  }
}

/** The delay a hit earns: fixed, or growing with the count (seconds × count / threshold), capped. */
export function delaySeconds(hit: Hit): number {
  const a = hit.rule.action;
  if (a.type !== 'delay') return 0;
  if (!a.proportional) return Math.min(a.seconds, a.maxSeconds);
  return Math.min(a.maxSeconds, Math.ceil((a.seconds * hit.count) / hit.threshold));
}
