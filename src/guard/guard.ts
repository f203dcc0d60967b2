/**
 * The detection guard: pre-checks an attempt (allow-list, bans, DNSBL, delay rules) and records its
 * outcome (counting, and banning addresses or networks whose counts reach a ban rule). Accounts are
 * only ever slowed, and clients that logged in before from the same address or device are not.
 */
import type { Attempt } from '../pipeline/attempt.js';
import type { GuardRule } from '../config/sections/guard.js';
import type { AttemptOutcome, Guard, GuardVerdict } from '../pipeline/ports.js';
import { GuardAdmin } from './admin.js';
import { GuardContext, type GuardDeps } from './context.js';
import { delaySeconds, subjectOf, type Hit, type Scope } from './rules.js';
import { entryId, type EntryTarget, type ListEntry, type SubjectOp } from './state/state.js';
import type { Who } from './subjects.js';

const ALLOW: GuardVerdict = { action: 'allow' };
const BAN_SCOPES: readonly Scope[] = ['ip', 'ip+account', 'network'];
/** The order counters are read and written in. */
const COUNTED_SCOPES = ['ip', 'network', 'ip+account', 'account'] as const;
type Plan = { scope: Scope; rules: readonly GuardRule[]; okIndex: number | null };

interface Reading {
  hits: Array<Hit & { scope: Scope }>;
  /** This address or device logged in to this account within knownGoodSeconds. */
  knownGood: boolean;
  /** Nothing was read: the state knew no failures of these subjects (a cluster worker), so no rule could fire. */
  skipped?: true;
}

const NOTHING_TO_READ: Reading = { hits: [], knownGood: false, skipped: true };

export class DetectionGuard implements Guard {
  readonly admin: GuardAdmin;
  private readonly ctx: GuardContext;
  private unique = 0;
  /** Pre-check readings by attempt, so record() knows a known-good client without another read. */
  private readonly knownGood = new WeakMap<Attempt, boolean>();
  /** Attempts whose pre-check read nothing: should they fail, record() reads known-good itself. */
  private readonly unread = new WeakSet<Attempt>();

  constructor(deps: GuardDeps) {
    this.ctx = new GuardContext(deps);
    this.admin = new GuardAdmin(this.ctx);
  }

  async precheck(attempt: Attempt): Promise<GuardVerdict> {
    const started = performance.now();
    try {
      return await this.decide(attempt);
    } finally {
      this.ctx.deps.metrics?.decisionSeconds.observe((performance.now() - started) / 1000, 'precheck');
    }
  }

  async record(attempt: Attempt, outcome: AttemptOutcome): Promise<void> {
    if (!this.ctx.config.enabled || attempt.mode === 'lookup' || !outcome.counted) return;
    const started = performance.now();
    const now = this.ctx.now();
    const who = this.ctx.resolver.resolve(attempt);
    if (this.ctx.allowed(who, now)) return;
    try {
      if (outcome.success) await this.recordSuccess(who, now);
      else await this.recordFailure(who, outcome.secretFingerprint, now, this.knownGood.get(attempt) === true || (this.unread.has(attempt) && (await this.readKnownGood(who, now))));
    } finally {
      this.ctx.deps.metrics?.decisionSeconds.observe((performance.now() - started) / 1000, 'record');
    }
  }

  private async decide(attempt: Attempt): Promise<GuardVerdict> {
    const { config, state } = this.ctx;
    if (!config.enabled || attempt.mode === 'lookup') return ALLOW;
    const now = this.ctx.now();
    const who = this.ctx.resolver.resolve(attempt);
    if (this.ctx.allowed(who, now)) return ALLOW;
    const ban = state.find('ban', who.ip, who.login, now);
    if (ban && ban.target.kind !== 'cidr') return this.banned(ban, now);
    // The DNSBL look-up and the counter reads run together; without DNSBL lists there is nothing to wait for.
    const [listed, reading] = this.dnsblApplies(who) ? await Promise.all([this.dnsbl(who), this.read(who, now, ban !== null)]) : [false, await this.read(who, now, ban !== null)];
    if (reading.knownGood) this.knownGood.set(attempt, true);
    if (reading.skipped) this.unread.add(attempt);
    // Checked after the read, which is what notices Redis failing (or answering again).
    if (this.failedClosed()) return this.refuse('rate-limited', 'guard-unavailable');
    // A network ban spares a client that logged in to this account from this very address before.
    if (ban && !reading.knownGood) return this.banned(ban, now);
    if (listed) return this.refuse('blocklisted', 'dnsbl');
    return this.delay(who, reading);
  }

  private failedClosed(): boolean {
    return this.ctx.state.degraded && this.ctx.config.redisFailure === 'closed';
  }

  private dnsblApplies(who: Who): boolean {
    return this.ctx.deps.dnsbl?.active === true && who.parsed !== null && who.ip !== null;
  }

  private async dnsbl(who: Who): Promise<boolean> {
    const checker = this.ctx.deps.dnsbl;
    if (!checker?.active || !who.parsed || who.ip === null) return false;
    const verdict = await checker.check(who.parsed, who.ip);
    return verdict?.blocked ?? false;
  }

  /** One batch of reads: the counters of every delay rule, and whether this client is known-good. */
  private async read(who: Who, now: number, needKnownGood: boolean): Promise<Reading> {
    const { rules } = this.ctx;
    const ops: SubjectOp[] = [];
    const plans: Plan[] = [];
    for (const scope of COUNTED_SCOPES) {
      const subject = subjectOf(scope, who);
      const delayRules = rules.of(scope, 'delay');
      const wantsGood = scope === 'account' && (delayRules.length > 0 || needKnownGood);
      if (subject === null || (delayRules.length === 0 && !wantsGood)) continue;
      const { count, okIndex } = rules.counting(delayRules, now);
      const op: SubjectOp = { subject, count };
      if (wantsGood) op.has = this.knownGoodTests(who, now);
      ops.push(op);
      plans.push({ scope, rules: delayRules, okIndex });
    }
    if (ops.length === 0) return { hits: [], knownGood: false };
    if (!needKnownGood && this.ctx.state.quiet?.(ops.map((op) => op.subject), now)) return NOTHING_TO_READ;
    const results = await this.ctx.state.observe(ops, now);
    const reading: Reading = { hits: [], knownGood: false };
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i] as Plan;
      const r = results[i];
      if (!r) continue;
      for (const hit of rules.hits(plan.rules, r.counts, plan.okIndex)) reading.hits.push({ ...hit, scope: plan.scope });
      if (plan.scope === 'account' && r.has.includes(true)) reading.knownGood = true;
    }
    return reading;
  }

  /** Whether this address or device logged in to this account within knownGoodSeconds. */
  private async readKnownGood(who: Who, now: number): Promise<boolean> {
    const subject = subjectOf('account', who);
    const has = this.knownGoodTests(who, now);
    if (subject === null || has.length === 0) return false;
    const [result] = await this.ctx.state.observe([{ subject, has }], now);
    return result?.has.includes(true) ?? false;
  }

  /** The account's tests for this client: its address and its device among those that logged in lately. */
  private knownGoodTests(who: Who, now: number): NonNullable<SubjectOp['has']> {
    const since = now - this.ctx.config.knownGoodSeconds * 1000;
    const has: NonNullable<SubjectOp['has']> = [];
    if (who.ip !== null) has.push({ set: 'okip', member: who.ip, sinceMs: since });
    if (who.device !== null) has.push({ set: 'okdev', member: who.device, sinceMs: since });
    return has;
  }

  private delay(who: Who, reading: Reading): GuardVerdict {
    let best: { seconds: number; rule: string } | null = null;
    for (const hit of reading.hits) {
      // An account under attack is slowed for everyone except the clients it already knows.
      if (hit.scope === 'account' && reading.knownGood) continue;
      const seconds = delaySeconds(hit);
      if (seconds > 0 && (!best || seconds > best.seconds)) best = { seconds, rule: hit.rule.name };
    }
    if (!best) return ALLOW;
    this.ctx.deps.metrics?.delays.inc({ rule: best.rule });
    this.ctx.deps.log?.info({ event: 'guard.delay', rule: best.rule, seconds: best.seconds, clientIp: who.ip, login: who.login }, `delayed by rule ${best.rule}`);
    return { action: 'delay', seconds: best.seconds, rule: best.rule };
  }

  private banned(ban: ListEntry, now: number): GuardVerdict {
    const retry = ban.expiresAt !== null ? Math.max(1, Math.ceil((ban.expiresAt - now) / 1000)) : undefined;
    return this.refuse('banned', ban.rule, retry);
  }

  private refuse(reason: 'banned' | 'rate-limited' | 'blocklisted', rule: string, retryAfterSeconds?: number): GuardVerdict {
    this.ctx.deps.metrics?.refusals.inc({ rule, reason });
    return { action: 'refuse', reason, rule, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
  }

  private async recordSuccess(who: Who, now: number): Promise<void> {
    const { rules } = this.ctx;
    const ops: SubjectOp[] = [];
    const okRetain = rules.retainMs('ip', 'ok');
    if (this.ctx.config.tolerance.ratio > 0 && who.login !== null) {
      for (const scope of ['ip', 'network'] as const) {
        const subject = subjectOf(scope, who);
        if (subject !== null) ops.push({ subject, add: [{ set: 'ok', member: who.login, retainMs: okRetain }] });
      }
    }
    const account = subjectOf('account', who);
    if (account !== null) {
      const retainMs = rules.retainMs('account', 'okip');
      const add: NonNullable<SubjectOp['add']> = [];
      if (who.ip !== null) add.push({ set: 'okip', member: who.ip, retainMs });
      if (who.device !== null) add.push({ set: 'okdev', member: who.device, retainMs });
      if (add.length) ops.push({ subject: account, add });
    }
    if (ops.length) await this.ctx.state.observe(ops, now);
  }

  /**
   * A client known to this account (it logged in from here before) mistyping is not guessing: its
   * failures count for the account and the pair, not against the address or network (offices, NAT).
   */
  private async recordFailure(who: Who, fingerprint: string | null, now: number, knownGood: boolean): Promise<void> {
    const { rules } = this.ctx;
    // Without a fingerprint every failure is distinct.
    const member = fingerprint ?? `~${now.toString(36)}.${(this.unique++).toString(36)}`;
    const ops: SubjectOp[] = [];
    const plans: Plan[] = [];
    for (const scope of COUNTED_SCOPES) {
      const subject = subjectOf(scope, who);
      if (subject === null || (knownGood && (scope === 'ip' || scope === 'network'))) continue;
      const add: NonNullable<SubjectOp['add']> = [];
      if (rules.used(scope, 'fail')) add.push({ set: 'fail', member, retainMs: rules.retainMs(scope, 'fail') });
      if (who.login !== null && rules.used(scope, 'facct')) add.push({ set: 'facct', member: who.login, retainMs: rules.retainMs(scope, 'facct') });
      if (who.ip !== null && rules.used(scope, 'fip')) add.push({ set: 'fip', member: who.ip, retainMs: rules.retainMs(scope, 'fip') });
      const banRules = BAN_SCOPES.includes(scope) ? rules.of(scope, 'ban') : [];
      const { count, okIndex } = rules.counting(banRules, now);
      if (add.length === 0 && count.length === 0) continue;
      ops.push({ subject, add, count });
      plans.push({ scope, rules: banRules, okIndex });
    }
    if (ops.length === 0) return;
    const results = await this.ctx.state.observe(ops, now);
    for (const [i, plan] of plans.entries()) {
      const hit = rules.hits(plan.rules, results[i]?.counts ?? [], plan.okIndex)[0];
      if (hit) await this.ban(who, plan.scope, hit, now);
    }
  }

  private async ban(who: Who, scope: Scope, hit: Hit, now: number): Promise<void> {
    const target = banTarget(scope, who);
    if (!target || hit.rule.action.type !== 'ban') return;
    const { state, config } = this.ctx;
    // Concurrent failures may cross the threshold together: one ban, not an escalation per failure.
    if (state.get(entryId('ban', target), now)) return;
    const entry = await state.put(
      { list: 'ban', target, rule: hit.rule.name, reason: `${hit.rule.counts} ${hit.count} >= ${hit.threshold} in ${hit.rule.windowSeconds}s`, ttlSeconds: hit.rule.action.ttlSeconds, escalation: { factor: config.bans.escalationFactor, maxTtlSeconds: config.bans.maxTtlSeconds, rememberSeconds: config.bans.rememberSeconds } },
      now,
    );
    this.ctx.deps.metrics?.bans.inc({ rule: hit.rule.name, scope });
    const ttlSeconds = entry.expiresAt !== null ? Math.round((entry.expiresAt - now) / 1000) : null;
    this.ctx.deps.log?.warn({ event: 'guard.ban', rule: hit.rule.name, target: entry.target, ttlSeconds, offences: entry.offences, count: hit.count, threshold: hit.threshold }, `banned by rule ${hit.rule.name}`);
    this.ctx.emitBan({ type: 'ban', entry, by: 'rule' });
  }
}

function banTarget(scope: Scope, who: Who): EntryTarget | null {
  if (scope === 'ip' && who.ip !== null) return { kind: 'ip', ip: who.ip };
  if (scope === 'network' && who.network !== null) return { kind: 'cidr', cidr: who.network };
  if (scope === 'ip+account' && who.ip !== null && who.login !== null) return { kind: 'iplogin', ip: who.ip, login: who.login };
  return null; // never an account
}
