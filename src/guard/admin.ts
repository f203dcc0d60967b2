/**
 * The guard's operations for the APIs and the CLI: explain an address or account, list/add/remove
 * bans, flush, manage the dynamic allow-list, stats. Endpoints only translate to these calls.
 */
import type { BanListener, GuardContext } from './context.js';
import { cidrContains, formatCidr, normalizeIp, parseCidr, parseIp } from './net.js';
import { subjectOf, type Scope } from './rules.js';
import { entryId, type EntryTarget, type ListEntry, type ListName, type StateStats } from './state/state.js';
import type { Who } from './subjects.js';

/** An address, a CIDR block, a login, or an address with a login (Weakforced's ip, netmask, login, iplogin). */
export interface TargetInput {
  ip?: string;
  cidr?: string;
  login?: string;
}

export interface RuleReading {
  rule: string;
  scope: Scope;
  counts: string;
  windowSeconds: number;
  count: number;
  /** After the tolerance for networks with many good logins. */
  threshold: number;
  action: string;
  fires: boolean;
}

export interface Explanation {
  query: string;
  ip: string | null;
  network: string | null;
  login: string | null;
  allowListed: boolean;
  bans: ListEntry[];
  allows: ListEntry[];
  rules: RuleReading[];
}

export class InvalidTargetError extends Error {}

export class GuardAdmin {
  constructor(private readonly ctx: GuardContext) {}

  /** `portcullis explain <ip|account>`; pass both for the ip+account rules too. */
  async explain(query: string, login?: string): Promise<Explanation> {
    const now = this.ctx.now();
    const parsed = parseIp(query);
    const who = parsed ? this.ctx.resolver.of(query, login ?? null) : this.ctx.resolver.of(null, query);
    const rules: RuleReading[] = [];
    const scopes = (['ip', 'network', 'ip+account', 'account'] as const).filter((s) => subjectOf(s, who) !== null);
    const plans = scopes.map((scope) => ({ scope, subject: subjectOf(scope, who) as string, rules: this.ctx.rules.of(scope) }));
    const counting = plans.map((p) => this.ctx.rules.counting(p.rules, now));
    const results = await this.ctx.state.observe(plans.map((p, i) => ({ subject: p.subject, count: counting[i]?.count ?? [] })), now);
    plans.forEach((p, i) => {
      const counts = results[i]?.counts ?? [];
      const okIndex = counting[i]?.okIndex ?? null;
      const good = okIndex !== null ? (counts[okIndex] ?? 0) : 0;
      p.rules.forEach((r, j) => {
        const threshold = this.ctx.rules.threshold(r, good);
        const count = counts[j] ?? 0;
        rules.push({ rule: r.name, scope: p.scope, counts: r.counts, windowSeconds: r.windowSeconds, count, threshold, action: r.action.type, fires: count >= threshold });
      });
    });
    const entries = this.ctx.state.entries(now).filter((e) => concerns(e.target, who));
    return {
      query,
      ip: who.ip,
      network: who.network,
      login: who.login,
      allowListed: this.ctx.allowed(who, now),
      bans: entries.filter((e) => e.list === 'ban'),
      allows: entries.filter((e) => e.list === 'allow'),
      rules,
    };
  }

  listBans(): ListEntry[] {
    return this.list('ban');
  }

  listAllows(): ListEntry[] {
    return this.list('allow');
  }

  /** Bans an address, a network or an address+login, never a login alone (that would lock a user out). */
  async addBan(input: TargetInput & { ttlSeconds: number; reason?: string; rule?: string }): Promise<ListEntry> {
    const target = toTarget(input);
    if (target.kind === 'login') throw new InvalidTargetError('bans are per address or network, never per account');
    const entry = await this.ctx.state.put({ list: 'ban', target, rule: input.rule ?? 'admin', reason: input.reason ?? '', ttlSeconds: input.ttlSeconds }, this.ctx.now());
    this.ctx.deps.log?.warn({ event: 'guard.ban', rule: entry.rule, target, ttlSeconds: input.ttlSeconds }, 'ban added');
    this.ctx.emitBan({ type: 'ban', entry, by: 'admin' });
    return entry;
  }

  async removeBan(input: TargetInput | { id: string }): Promise<ListEntry[]> {
    return this.remove('ban', input);
  }

  async addAllow(input: TargetInput & { ttlSeconds?: number; reason?: string }): Promise<ListEntry> {
    const target = toTarget(input);
    const entry = await this.ctx.state.put({ list: 'allow', target, rule: 'admin', reason: input.reason ?? '', ttlSeconds: input.ttlSeconds ?? 0 }, this.ctx.now());
    this.ctx.deps.log?.info({ event: 'guard.allow', target }, 'allow-list entry added');
    return entry;
  }

  async removeAllow(input: TargetInput | { id: string }): Promise<ListEntry[]> {
    return this.remove('allow', input);
  }

  /**
   * Nauthilus' flush: lifts the bans of an address (or every ban of a rule), and forgets the
   * address's counters so it starts from zero. Returns the bans lifted.
   */
  async flush(input: { ip?: string; rule?: string }): Promise<ListEntry[]> {
    const now = this.ctx.now();
    const ip = input.ip !== undefined ? parseIp(input.ip) : null;
    if (input.ip !== undefined && !ip) throw new InvalidTargetError(`not an IP address: ${input.ip}`);
    const doomed = this.ctx.state.entries(now).filter((e) => {
      if (e.list !== 'ban') return false;
      if (input.rule !== undefined && e.rule !== input.rule) return false;
      if (!ip) return input.rule !== undefined;
      const t = e.target;
      if (t.kind === 'cidr') return cidrContains(parseCidr(t.cidr) ?? { family: 4, base: -1n, bits: 32 }, ip);
      return (t.kind === 'ip' || t.kind === 'iplogin') && normalizeIp(t.ip) === normalizeIp(input.ip ?? '');
    });
    const removed = await this.ctx.state.remove(doomed.map((e) => e.id), now);
    if (input.ip !== undefined) {
      const who = this.ctx.resolver.of(input.ip, null);
      await this.ctx.state.forget([subjectOf('ip', who), subjectOf('network', who)].filter((s): s is string => s !== null));
    }
    for (const e of removed) this.logUnban(e, 'flush');
    return removed;
  }

  /**
   * Weakforced's reset: forgets the counters of an address and/or login (and their pair) and lifts
   * the bans naming them, so a user locked in by an attack starts clean.
   */
  async reset(input: { ip?: string; login?: string }): Promise<ListEntry[]> {
    const ip = input.ip !== undefined ? normalizeIp(input.ip) : null;
    if (input.ip !== undefined && ip === null) throw new InvalidTargetError(`not an IP address: ${input.ip}`);
    const login = input.login?.trim().toLowerCase() || null;
    if (ip === null && login === null) throw new InvalidTargetError('reset needs ip or login');
    const who = this.ctx.resolver.of(ip, login);
    const scopes: Scope[] = ip !== null ? ['ip', 'network', 'ip+account', 'account'] : ['account'];
    await this.ctx.state.forget(scopes.map((s) => subjectOf(s, who)).filter((s): s is string => s !== null));
    const now = this.ctx.now();
    const doomed = this.ctx.state.entries(now).filter((e) => {
      if (e.list !== 'ban') return false;
      const t = e.target;
      if (t.kind === 'ip') return t.ip === ip;
      if (t.kind === 'iplogin') return (ip === null || t.ip === ip) && (login === null || t.login === login);
      return false;
    });
    const removed = await this.ctx.state.remove(doomed.map((e) => e.id), now);
    for (const e of removed) this.logUnban(e, 'reset');
    return removed;
  }

  /** Bans made or lifted on this node, for push-out; returns the unsubscribe function. */
  onBan(listener: BanListener): () => void {
    return this.ctx.onBan(listener);
  }

  stats(): StateStats & { rules: string[]; bansByRule: Record<string, number> } {
    const now = this.ctx.now();
    const bansByRule: Record<string, number> = {};
    for (const e of this.ctx.state.entries(now)) if (e.list === 'ban') bansByRule[e.rule] = (bansByRule[e.rule] ?? 0) + 1;
    return { ...this.ctx.state.stats(now), rules: this.ctx.rules.rules.map((r) => r.name), bansByRule };
  }

  private list(list: ListName): ListEntry[] {
    return this.ctx.state.entries(this.ctx.now()).filter((e) => e.list === list);
  }

  private async remove(list: ListName, input: TargetInput | { id: string }): Promise<ListEntry[]> {
    const id = 'id' in input ? input.id : entryId(list, toTarget(input));
    const removed = await this.ctx.state.remove([id], this.ctx.now());
    if (list === 'ban') for (const e of removed) this.logUnban(e, 'admin');
    return removed;
  }

  private logUnban(e: ListEntry, by: string): void {
    this.ctx.deps.log?.info({ event: 'guard.unban', rule: e.rule, target: e.target, by }, `ban lifted (rule ${e.rule})`);
    this.ctx.emitBan({ type: 'unban', entry: e, by });
  }
}

/** Normalises a target: canonical addresses, a CIDR of a single address becomes that address. */
export function toTarget(input: TargetInput): EntryTarget {
  const login = input.login?.trim().toLowerCase();
  if (input.cidr !== undefined) {
    const c = parseCidr(input.cidr);
    if (!c) throw new InvalidTargetError(`not a CIDR block: ${input.cidr}`);
    const full = c.bits === (c.family === 4 ? 32 : 128);
    if (!full) return { kind: 'cidr', cidr: formatCidr(c) };
    const ip = formatCidr(c).split('/')[0] ?? '';
    return login ? { kind: 'iplogin', ip, login } : { kind: 'ip', ip };
  }
  if (input.ip !== undefined) {
    const ip = normalizeIp(input.ip);
    if (ip === null) throw new InvalidTargetError(`not an IP address: ${input.ip}`);
    return login ? { kind: 'iplogin', ip, login } : { kind: 'ip', ip };
  }
  if (login) return { kind: 'login', login };
  throw new InvalidTargetError('a target needs ip, cidr or login');
}

function concerns(t: EntryTarget, who: Who): boolean {
  switch (t.kind) {
    case 'ip':
      return t.ip === who.ip;
    case 'cidr': {
      const c = parseCidr(t.cidr);
      return c !== null && who.parsed !== null && cidrContains(c, who.parsed);
    }
    case 'login':
      return t.login === who.login;
    case 'iplogin':
      return t.ip === who.ip || t.login === who.login;
  }
}
