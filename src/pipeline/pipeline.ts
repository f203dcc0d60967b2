/**
 * The one decision pipeline every front end calls: guard pre-check, credential check through the
 * backends (with the verification cache), the guard records the outcome, a decision comes back.
 */
import { randomUUID } from 'node:crypto';
import { HashingBusyError } from '../passwords/errors.js';
import type { Attempt } from './attempt.js';
import type { BackendChain } from './backend-chain.js';
import type { Accepted, Decision, Refused } from './decision.js';
import type { KeyedHash } from './keyed-hash.js';
import type { RefusalReason } from './outcomes.js';
import type { AttemptOutcome, BackendResult, Guard, GuardVerdict } from './ports.js';
import type { VerificationCache } from './verification-cache.js';

/** Spends the time of one real password verification, so unknown logins cost what known ones do. */
export type DummyVerify = (secret: string, signal?: AbortSignal) => Promise<void>;

export interface PipelineObserver {
  decided(attempt: Attempt, decision: Decision, elapsedMs: number): void;
}

export interface PipelineDeps {
  guard: Guard;
  backends: BackendChain;
  cache: VerificationCache;
  cacheTtlSeconds: number;
  keyed: KeyedHash;
  dummyVerify: DummyVerify;
  observer?: PipelineObserver;
}

export class DecisionPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async decide(attempt: Attempt): Promise<Decision> {
    const started = performance.now();
    const decisionId = randomUUID();
    const decision = await this.run(attempt, decisionId);
    this.deps.observer?.decided(attempt, decision, performance.now() - started);
    return decision;
  }

  private async run(attempt: Attempt, decisionId: string): Promise<Decision> {
    if (attempt.mode === 'authenticate' && !attempt.secret) {
      return refused(decisionId, 'empty-password', 'empty secret: an unauthenticated bind never logs in');
    }
    const verdict = await this.deps.guard.precheck(attempt);
    if (verdict.action === 'refuse') {
      await this.deps.guard.record(attempt, notCounted(verdict.reason));
      return { ...refused(decisionId, verdict.reason, `guard rule ${verdict.rule}`), rule: verdict.rule, ...retryAfter(verdict) };
    }
    const delaySeconds = verdict.action === 'delay' ? verdict.seconds : 0;
    const decision = attempt.mode === 'lookup' ? await this.lookup(attempt, decisionId) : await this.verify(attempt, decisionId);
    if (decision.ok && verdict.action === 'delay') return { ...decision, delaySeconds };
    if (!decision.ok && verdict.action === 'delay') return { ...decision, delaySeconds, rule: verdict.rule };
    return decision;
  }

  private async lookup(attempt: Attempt, decisionId: string): Promise<Decision> {
    const account = await this.deps.backends.lookup(attempt.login);
    if (!account) return refused(decisionId, 'invalid-credentials', 'lookup: no such account');
    return { ok: true, decisionId, account, credential: 'none', cached: false, delaySeconds: 0 };
  }

  private async verify(attempt: Attempt, decisionId: string): Promise<Decision> {
    const secret = attempt.secret ?? '';
    const cacheKey = this.deps.keyed.cacheKey([attempt.login.toLowerCase(), attempt.protocol, attempt.accountKind ?? 'user'], secret);
    const fromCache = await this.fromCache(attempt, cacheKey, decisionId);
    if (fromCache) {
      await this.deps.guard.record(attempt, { success: true, counted: true, account: fromCache.account, secretFingerprint: null });
      return fromCache;
    }
    const result = await this.checkCredential(attempt, secret);
    return this.conclude(attempt, result, cacheKey, decisionId);
  }

  private async fromCache(attempt: Attempt, key: string, decisionId: string): Promise<Accepted | null> {
    if (this.deps.cacheTtlSeconds <= 0) return null;
    const cached = await this.deps.cache.get(key);
    if (!cached) return null;
    const account = await this.deps.backends.revalidate(attempt, cached);
    if (!account) {
      await this.deps.cache.delete(key);
      return null;
    }
    return {
      ok: true,
      decisionId,
      account,
      credential: cached.credential,
      cached: true,
      delaySeconds: 0,
      ...(cached.impersonator ? { impersonator: cached.impersonator } : {}),
    };
  }

  private async checkCredential(attempt: Attempt, secret: string): Promise<BackendResult> {
    try {
      const result = await this.deps.backends.authenticate(attempt);
      if (result.status === 'unknown') await this.deps.dummyVerify(secret, attempt.signal);
      return result;
    } catch (err) {
      // Known and unknown logins alike are answered "busy" when hashing is saturated, so overload tells nothing about who exists.
      if (err instanceof HashingBusyError) return { status: 'refused', reason: 'busy', detail: err.message, account: null };
      return { status: 'unavailable', detail: errorText(err) };
    }
  }

  private async conclude(attempt: Attempt, result: BackendResult, cacheKey: string, decisionId: string): Promise<Decision> {
    const { guard, cache, keyed, cacheTtlSeconds } = this.deps;
    switch (result.status) {
      case 'accepted': {
        const { account, credential, credentialVersion, impersonator } = result;
        const ttl = Math.min(cacheTtlSeconds, result.maxCacheSeconds ?? Infinity);
        await cache.set(cacheKey, { accountId: account.id, backend: account.backend, credential, credentialVersion, ...(impersonator ? { impersonator } : {}) }, ttl);
        await guard.record(attempt, { success: true, counted: true, account, secretFingerprint: null });
        return { ok: true, decisionId, account, credential, cached: false, delaySeconds: 0, ...(impersonator ? { impersonator } : {}) };
      }
      case 'refused':
      case 'unknown': {
        const reason: RefusalReason = result.status === 'refused' ? result.reason : 'invalid-credentials';
        const account = result.status === 'refused' ? result.account : null;
        const fingerprint = keyed.fingerprint(attempt.login, attempt.secret ?? '');
        const temporary = reason === 'busy' || reason === 'temporary-failure';
        await guard.record(attempt, { success: false, counted: !temporary, account, secretFingerprint: temporary ? null : fingerprint, reason });
        return refused(decisionId, reason, result.status === 'refused' ? result.detail : 'unknown login');
      }
      case 'unavailable':
        await guard.record(attempt, notCounted('temporary-failure'));
        return refused(decisionId, 'temporary-failure', result.detail);
    }
  }
}

function refused(decisionId: string, reason: RefusalReason, detail: string): Refused {
  return { ok: false, decisionId, reason, delaySeconds: 0, detail };
}

function notCounted(reason: RefusalReason): AttemptOutcome {
  return { success: false, counted: false, account: null, secretFingerprint: null, reason };
}

function retryAfter(verdict: Extract<GuardVerdict, { action: 'refuse' }>): { retryAfterSeconds?: number } {
  return verdict.retryAfterSeconds !== undefined ? { retryAfterSeconds: verdict.retryAfterSeconds } : {};
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
