/**
 * Turns a CustomerBackend (a customer module, the upstream LDAP, the HTTP delegate) into an
 * AuthBackend of the pipeline: failures and timeouts become 'unavailable' (never a wrong
 * password), look-ups are read through a short cache, cached verifications are revalidated by
 * confirming the account still exists and is enabled, and app passwords of its accounts are
 * checked against their shadow records in the local store.
 */
import type { Attempt } from '../../pipeline/attempt.js';
import type { Account } from '../../pipeline/decision.js';
import type { AccountQuery, AuthBackend, BackendResult } from '../../pipeline/ports.js';
import type { CachedVerification } from '../../pipeline/verification-cache.js';
import type { Logger } from '../../telemetry/logger.js';
import type { BackendAccount, CustomerBackend, VerifyContext, VerifyResult } from '../api.js';
import { BackendUnavailableError } from '../errors.js';
import { AccountCache } from './account-cache.js';
import { parseLookupResult, parseVerifyResult, toAccount } from './account.js';
import type { AppPasswordSupport } from './app-passwords.js';
import { GuardedCalls, describe } from './guarded-call.js';
import type { BackendMetrics } from './metrics.js';

export interface AdapterOptions {
  name: string;
  backend: CustomerBackend;
  timeoutMs: number;
  /** Seconds look-ups (found or not) are remembered; also bounds how stale a revalidation can be. */
  cacheSeconds: number;
  breaker: { failureThreshold: number; openSeconds: number };
  metrics: BackendMetrics;
  log: Logger;
  /** App passwords for this backend's accounts; null: none. */
  appPasswords: AppPasswordSupport | null;
  now?: () => number;
}

const UNKNOWN: BackendResult = { status: 'unknown' };

export class CustomerBackendAdapter implements AuthBackend {
  readonly name: string;
  readonly calls: GuardedCalls;
  private readonly cache: AccountCache;

  constructor(private readonly o: AdapterOptions) {
    this.name = o.name;
    this.calls = new GuardedCalls({ backend: o.name, timeoutMs: o.timeoutMs, breaker: o.breaker, metrics: o.metrics, log: o.log, ...(o.now ? { now: o.now } : {}) });
    this.cache = new AccountCache(o.cacheSeconds, 10_000, o.now);
  }

  async authenticate(attempt: Attempt): Promise<BackendResult> {
    // Service accounts, master logins and bearer tokens belong to the local store.
    if (attempt.accountKind === 'service' || attempt.secretIsToken) return UNKNOWN;
    const secret = attempt.secret ?? '';
    // An empty simple bind is an "unauthenticated bind" that LDAP servers accept: never pass one on.
    if (!secret) return { status: 'refused', reason: 'empty-password', detail: 'empty secret', account: null };
    const apps = this.o.appPasswords;
    if (apps?.looksLikeAppPassword(secret)) {
      const viaAppPassword = await apps.check(this, attempt, secret);
      if (viaAppPassword) return viaAppPassword;
    }
    let result: VerifyResult;
    try {
      result = await this.calls.call('verify', async (signal) => parseVerifyResult(await this.o.backend.verify(attempt.login, secret, context(attempt, signal))), attempt.signal);
    } catch (err) {
      return { status: 'unavailable', detail: describe(err) };
    }
    return this.concluded(attempt, result);
  }

  async lookup(login: string): Promise<Account | null> {
    const info = await this.fetch(login);
    return info && info.enabled !== false ? toAccount(this.name, info) : null;
  }

  /** Confirms the account still exists, is enabled and its password (or app passwords) did not change. */
  async revalidate(attempt: Attempt, cached: CachedVerification): Promise<Account | null> {
    const shadow = (await this.o.appPasswords?.shadowOf(cached.accountId)) ?? null;
    // Disabled in Portcullis: refused whatever the upstream says.
    if (shadow && !shadow.enabled) return null;
    if (cached.credential === 'app-password' && shadow?.credentialVersion !== cached.credentialVersion) return null;
    let info: BackendAccount | null;
    try {
      // The shadow's login is the upstream's own name for the account; the typed login may be a mail address.
      info = await this.fetch(shadow?.login ?? attempt.login, attempt.signal);
    } catch {
      return null; // cannot confirm: verify afresh (and answer a temporary failure if still down)
    }
    if (!info || info.enabled === false) return null;
    const account = toAccount(this.name, info);
    if (account.id !== cached.accountId) return null;
    if (cached.credential === 'app-password') return account;
    return (info.passwordVersion ?? 0) === cached.credentialVersion ? account : null;
  }

  async search(query: AccountQuery): Promise<Account[]> {
    const list = this.o.backend.list?.bind(this.o.backend);
    if (!list) return [];
    const found = await this.calls.call('list', async (signal) => {
      const answer: unknown = await list({ ...(query.query ? { query: query.query } : {}), limit: query.limit, signal });
      if (!Array.isArray(answer)) throw new BackendUnavailableError(this.name, 'list answered no array');
      return answer.map((a) => parseLookupResult(a)).filter((a): a is BackendAccount => a !== null);
    });
    return found.filter((a) => a.enabled !== false).map((a) => toAccount(this.name, a));
  }

  /**
   * The account behind a login, through the read-through cache. Null when unknown or when the
   * backend cannot look up; throws BackendUnavailableError when it cannot answer now.
   */
  async fetch(login: string, signal?: AbortSignal): Promise<BackendAccount | null> {
    if (!login.trim()) return null;
    const hit = this.cache.get(login);
    if (hit !== undefined) return hit;
    const lookup = this.o.backend.lookup?.bind(this.o.backend);
    if (!lookup) return null;
    const info = await this.calls.call('lookup', async (s) => parseLookupResult(await lookup(login, { signal: s })), signal);
    this.cache.set(login, info);
    return info;
  }

  async close(): Promise<void> {
    await this.o.backend.close?.();
  }

  private async concluded(attempt: Attempt, result: VerifyResult): Promise<BackendResult> {
    if (result.ok) {
      const info = result.account;
      this.cache.set(attempt.login, info);
      const account = toAccount(this.name, info);
      if (info.enabled === false) return { status: 'refused', reason: 'account-disabled', detail: `${this.name}: account disabled`, account };
      const shadow = await this.o.appPasswords?.sync(this.name, account);
      // An admin disabled the account in Portcullis: that holds even while the upstream allows it.
      if (shadow && !shadow.enabled) return { status: 'refused', reason: 'account-disabled', detail: `${this.name}: account disabled in Portcullis`, account };
      return { status: 'accepted', account, credential: 'password', credentialVersion: info.passwordVersion ?? 0 };
    }
    if (result.reason === 'unknown-user') return UNKNOWN;
    const account = 'account' in result && result.account ? toAccount(this.name, result.account) : null;
    const reason = result.reason ?? 'invalid-credentials';
    return { status: 'refused', reason, detail: `${this.name}: ${reason}`, account };
  }
}

function context(attempt: Attempt, signal: AbortSignal): VerifyContext {
  return {
    protocol: attempt.protocol,
    clientIp: attempt.clientIp,
    tls: attempt.tls,
    frontEnd: attempt.frontEnd,
    ...(attempt.userAgent ? { userAgent: attempt.userAgent } : {}),
    signal,
  };
}
