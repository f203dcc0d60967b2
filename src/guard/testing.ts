/**
 * Helpers for tests and the attack simulation: a guard on a manual clock, attempts and outcomes,
 * and a toy password backend wired into the real pipeline. Not used by the service.
 */
import { randomBytes } from 'node:crypto';
import { guardSection, type GuardConfig } from '../config/sections/guard.js';
import type { Attempt } from '../pipeline/attempt.js';
import { BackendChain } from '../pipeline/backend-chain.js';
import type { Account } from '../pipeline/decision.js';
import { KeyedHash } from '../pipeline/keyed-hash.js';
import { DecisionPipeline } from '../pipeline/pipeline.js';
import type { AttemptOutcome, AuthBackend, Guard } from '../pipeline/ports.js';
import { MemoryVerificationCache } from '../pipeline/verification-cache.js';
import { ManualClock } from './clock.js';
import { DetectionGuard } from './guard.js';
import { MemoryState } from './state/memory-state.js';
import type { GuardState } from './state/state.js';

export type GuardInput = Parameters<typeof guardSection.parse>[0];

export function guardConfig(input: GuardInput = {}): GuardConfig {
  return guardSection.parse(input);
}

export function memoryGuard(input: GuardInput = {}, clock = new ManualClock()): { guard: DetectionGuard; clock: ManualClock; state: MemoryState; config: GuardConfig } {
  const config = guardConfig(input);
  const state = new MemoryState(config.limits);
  return { guard: new DetectionGuard({ config, state, clock: clock.now }), clock, state, config };
}

export function guardOn(state: GuardState, clock: ManualClock, input: GuardInput = {}): DetectionGuard {
  return new DetectionGuard({ config: guardConfig(input), state, clock: clock.now });
}

export function attempt(clientIp: string | null, login: string, extra: Partial<Attempt> = {}): Attempt {
  return { login, secret: 'x', mode: 'authenticate', protocol: 'imap', clientIp, relayIp: null, tls: true, frontEnd: 'test', ...extra };
}

export const failed = (fingerprint: string | null): AttemptOutcome => ({ success: false, counted: true, account: null, secretFingerprint: fingerprint, reason: 'invalid-credentials' });
export const succeeded: AttemptOutcome = { success: true, counted: true, account: null, secretFingerprint: null };

/** precheck + record as the pipeline would, with the guard's verdict. */
export async function tryLogin(guard: Guard, a: Attempt, outcome: AttemptOutcome) {
  const verdict = await guard.precheck(a);
  if (verdict.action !== 'refuse') await guard.record(a, outcome);
  return verdict;
}

/** A backend that knows logins and passwords in memory: the pipeline with no hashing cost. */
export class ToyBackend implements AuthBackend {
  readonly name = 'toy';
  constructor(private readonly passwords: Map<string, string>) {}

  async authenticate(a: Attempt) {
    const pw = this.passwords.get(a.login);
    if (pw === undefined) return { status: 'unknown' as const };
    if (pw !== a.secret) return { status: 'refused' as const, reason: 'invalid-credentials' as const, detail: 'wrong password', account: null };
    return { status: 'accepted' as const, account: account(a.login), credential: 'password' as const, credentialVersion: 1 };
  }

  async lookup(login: string): Promise<Account | null> {
    return this.passwords.has(login) ? account(login) : null;
  }

  async revalidate(): Promise<Account | null> {
    return null;
  }
}

export function pipelineWith(guard: Guard, passwords: Map<string, string>): DecisionPipeline {
  return new DecisionPipeline({
    guard,
    backends: new BackendChain([new ToyBackend(passwords)]),
    cache: new MemoryVerificationCache(1000),
    cacheTtlSeconds: 0,
    keyed: new KeyedHash(randomBytes(32)),
    dummyVerify: async () => {},
  });
}

function account(uid: string): Account {
  return { kind: 'user', id: uid, uid, mail: null, aliases: [], displayName: uid, groups: [], roles: [], backend: 'toy' };
}
