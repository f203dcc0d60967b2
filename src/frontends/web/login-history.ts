/**
 * The per-account recent-login log the self-service page shows: fed by a pipeline observer,
 * written off the decision path through a bounded queue, bounded per account and by age in the
 * store. Repeats (a phone reconnecting every minute) are written once per few minutes.
 */
import type { Attempt } from '../../pipeline/attempt.js';
import type { Decision } from '../../pipeline/decision.js';
import type { PipelineObserver } from '../../pipeline/pipeline.js';
import type { IdentityStore } from '../../store/store.js';
import type { WebStore } from '../../store/web-store.js';

/** Refusals a user wants to hear about; guard refusals (bans) would only flood the list. */
const RECORDED_REFUSALS = new Set(['invalid-credentials', 'account-disabled', 'scope-not-allowed', 'tls-required']);
const MAX_QUEUE = 1000;
const REPEAT_MS = 5 * 60_000;
const MAX_RECENT = 10_000;

interface Pending {
  userId: string | null;
  login: string;
  at: Date;
  protocol: string;
  frontEnd: string;
  clientIp: string | null;
  success: boolean;
  detail: string;
}

export interface LoginHistoryOptions {
  keepPerUser: number;
  masterSeparator: string;
  now: () => number;
  onError: (err: unknown) => void;
}

export class LoginHistory implements PipelineObserver {
  private readonly queue: Pending[] = [];
  private readonly recent = new Map<string, number>();
  private draining: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private readonly web: WebStore,
    private readonly identities: IdentityStore,
    private readonly options: LoginHistoryOptions,
  ) {}

  decided(attempt: Attempt, decision: Decision): void {
    if (attempt.mode !== 'authenticate') return;
    if (decision.ok && (decision.account.kind !== 'user' || decision.account.backend !== 'local' || decision.credential === 'master')) return;
    if (!decision.ok && !RECORDED_REFUSALS.has(decision.reason)) return;
    const now = this.options.now();
    const item: Pending = {
      userId: decision.ok ? decision.account.id : null,
      login: attempt.login,
      at: new Date(now),
      protocol: attempt.protocol,
      frontEnd: attempt.frontEnd,
      clientIp: attempt.clientIp,
      success: decision.ok,
      detail: decision.ok ? decision.credential : decision.reason,
    };
    if (decision.ok && this.repeated(`${item.userId}|${item.protocol}|${item.clientIp}|${item.detail}`, now)) return;
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    this.queue.push(item);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** Resolves once everything queued so far is written (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private repeated(key: string, now: number): boolean {
    const last = this.recent.get(key);
    if (last !== undefined && now - last < REPEAT_MS) return true;
    if (this.recent.size >= MAX_RECENT) this.recent.clear();
    this.recent.set(key, now);
    return false;
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      try {
        const userId = item.userId ?? (await this.resolve(item.login));
        if (userId === null) continue;
        const { login: _login, userId: _u, ...record } = item;
        await this.web.appendLogin({ ...record, userId }, this.options.keepPerUser);
      } catch (err) {
        this.options.onError(err);
      }
    }
  }

  /** A failed login names an account as typed: a login or an address; master logins are not the user's. */
  private async resolve(login: string): Promise<string | null> {
    const key = login.trim().toLowerCase();
    if (key === '' || key.length > 320 || key.includes(this.options.masterSeparator)) return null;
    const user = key.includes('@') ? await this.identities.findUserByAddress(key) : await this.identities.findUserByLogin(key);
    return user?.id ?? null;
  }
}
