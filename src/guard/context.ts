/** What the guard and its admin operations share: configuration, state, clock, rules, logging, metrics. */
import type { GuardConfig } from '../config/sections/guard.js';
import type { Logger } from '../telemetry/logger.js';
import type { Clock } from './clock.js';
import type { DnsblChecker } from './dnsbl/checker.js';
import type { GuardMetrics } from './metrics.js';
import { cidrContains, parseCidr, type Cidr } from './net.js';
import { RuleBook } from './rules.js';
import type { GuardState, ListEntry } from './state/state.js';
import { SubjectResolver, type Who } from './subjects.js';

export interface GuardDeps {
  config: GuardConfig;
  state: GuardState;
  clock: Clock;
  dnsbl?: DnsblChecker | null;
  log?: Logger;
  metrics?: GuardMetrics;
}

/** A ban made or lifted on this node (push-out subscribes; other nodes see it through Redis). */
export interface BanEvent {
  type: 'ban' | 'unban';
  entry: ListEntry;
  /** 'rule' (the detector), 'admin' (an API or the CLI), 'flush', 'reset'. */
  by: string;
}

export type BanListener = (event: BanEvent) => void;

export class GuardContext {
  readonly rules: RuleBook;
  private readonly listeners = new Set<BanListener>();
  readonly resolver: SubjectResolver;
  private readonly allowNets: Cidr[];
  private readonly allowAccounts: Set<string>;

  constructor(readonly deps: GuardDeps) {
    const c = deps.config;
    this.rules = new RuleBook(c);
    this.resolver = new SubjectResolver({ trustedRelays: c.trustedRelays, networkPrefix: c.networkPrefix });
    this.allowNets = c.allowList.networks.flatMap((n) => parseCidr(n) ?? []);
    this.allowAccounts = new Set(c.allowList.accounts.map((a) => a.trim().toLowerCase()));
  }

  get config(): GuardConfig {
    return this.deps.config;
  }

  get state(): GuardState {
    return this.deps.state;
  }

  /** Subscribes to bans made or lifted on this node; returns the unsubscribe function. */
  onBan(listener: BanListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener that throws never disturbs a decision. */
  emitBan(event: BanEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log?.warn({ event: 'guard.listener-failed', err }, 'a ban listener failed');
      }
    }
  }

  now(): number {
    return this.deps.clock();
  }

  /** Allow-listed by configuration or by an admin entry: bypasses every rule, ban and list. */
  allowed(who: Who, nowMs: number): boolean {
    if (who.parsed && this.allowNets.some((c) => cidrContains(c, who.parsed as NonNullable<Who['parsed']>))) return true;
    if (who.login !== null && this.allowAccounts.has(who.login)) return true;
    return this.state.find('allow', who.ip, who.login, nowMs) !== null;
  }
}
