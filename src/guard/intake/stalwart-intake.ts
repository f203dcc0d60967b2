/**
 * Feeds Stalwart's events into the guard, each event once (by id, across nodes with Redis).
 *
 * Why failures count the address only (unless Stalwart names the account): for LDAP-backed
 * logins Portcullis already counted the failed bind against the account, but without a client
 * address (Stalwart never sends one over LDAP); the event adds the address, which we lacked.
 * Internal-directory failures name the account and were never seen here, so both count.
 *
 * Why a success only marks the address known-good: every success Portcullis decided itself was
 * already recorded by the pipeline; recording success adds the address to sets (idempotent), so
 * a webhook success cannot count anything twice, and it is never a reason to lift a ban.
 */
import type { StalwartWebhookConfig } from '../../config/sections/guard-io.js';
import type { Attempt } from '../../pipeline/attempt.js';
import type { AttemptOutcome, Guard } from '../../pipeline/ports.js';
import type { Logger } from '../../telemetry/logger.js';
import type { GuardAdmin } from '../admin.js';
import type { SeenIds } from './seen-ids.js';
import { actionOf, type IntakeAction, type StalwartEvent } from './stalwart-events.js';

export interface IntakeResult {
  counted: number;
  duplicates: number;
  ignored: number;
  bans: number;
}

export interface IntakeDeps {
  guard: Guard;
  admin: GuardAdmin | null;
  seen: SeenIds;
  config: StalwartWebhookConfig;
  log?: Logger;
  /** Per event: counted, success, ban, duplicate, ignored. */
  onEvent?: (type: string, result: string) => void;
}

const FAILED: AttemptOutcome = { success: false, counted: true, account: null, secretFingerprint: null, reason: 'invalid-credentials' };
const SUCCEEDED: AttemptOutcome = { success: true, counted: true, account: null, secretFingerprint: null };

export class StalwartIntake {
  constructor(private readonly deps: IntakeDeps) {}

  /** Handles a batch in order; a failure stops it with the unhandled events unclaimed, so a retry finishes it. */
  async handle(events: StalwartEvent[]): Promise<IntakeResult> {
    const result: IntakeResult = { counted: 0, duplicates: 0, ignored: 0, bans: 0 };
    for (const event of events) {
      const action = actionOf(event, this.deps.config);
      if (action.kind === 'ignore' || (action.kind === 'ban' && !this.mirrorsBans())) {
        result.ignored++;
        this.deps.onEvent?.(event.type, 'ignored');
        if (action.kind === 'ban') this.deps.log?.info({ event: 'intake.stalwart-ban', ip: action.ip, rule: action.rule, mirrored: false }, 'Stalwart banned an address');
        continue;
      }
      if (!(await this.deps.seen.claim(event.id))) {
        result.duplicates++;
        this.deps.onEvent?.(event.type, 'duplicate');
        continue;
      }
      try {
        await this.apply(action);
      } catch (err) {
        await this.deps.seen.release(event.id).catch(() => undefined);
        throw err;
      }
      if (action.kind === 'ban') result.bans++;
      else result.counted++;
      this.deps.onEvent?.(event.type, action.kind === 'failure' ? 'counted' : action.kind);
      this.deps.log?.debug({ event: 'intake.stalwart', type: event.type, id: event.id, action: action.kind, ip: action.ip, spanId: event.spanId?.toString() ?? null }, 'webhook event');
    }
    return result;
  }

  private mirrorsBans(): boolean {
    return this.deps.config.mirrorBanSeconds > 0 && this.deps.admin !== null;
  }

  private async apply(action: Exclude<IntakeAction, { kind: 'ignore' }>): Promise<void> {
    if (action.kind === 'ban') {
      await this.deps.admin?.addBan({ ip: action.ip, ttlSeconds: this.deps.config.mirrorBanSeconds, rule: action.rule, reason: `banned by Stalwart (${action.rule})` });
      this.deps.log?.info({ event: 'intake.stalwart-ban', ip: action.ip, rule: action.rule, mirrored: true }, 'Stalwart banned an address: banned here too');
      return;
    }
    const attempt: Attempt = {
      login: action.login ?? '',
      secret: null,
      mode: 'authenticate',
      protocol: action.protocol,
      clientIp: action.ip,
      relayIp: null,
      tls: false,
      frontEnd: 'stalwart-webhook',
    };
    await this.deps.guard.record(attempt, action.kind === 'success' ? SUCCEEDED : FAILED);
  }
}
