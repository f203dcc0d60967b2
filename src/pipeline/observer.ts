/** Turns every decision into one log line (event auth.decision) and metrics; never logs the secret. */
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Attempt } from './attempt.js';
import type { Decision } from './decision.js';
import type { PipelineObserver } from './pipeline.js';

export class LoggingObserver implements PipelineObserver {
  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  decided(attempt: Attempt, decision: Decision, elapsedMs: number): void {
    const outcome = decision.ok ? 'accepted' : 'refused';
    const reason = decision.ok ? decision.credential : decision.reason;
    const cached = decision.ok && decision.cached;
    this.metrics.attempts.inc(attempt.protocol, attempt.frontEnd, outcome, reason);
    this.metrics.decisionSeconds.observe(elapsedMs / 1000, cached ? 'true' : 'false');
    if (attempt.mode === 'authenticate') this.metrics.cacheLookups.inc(cached ? 'hit' : 'miss');
    if (decision.ok && !this.log.isLevelEnabled('debug')) return; // accepted logins log at debug: skip building the line
    const fields = {
      event: 'auth.decision',
      decisionId: decision.decisionId,
      outcome,
      reason,
      login: attempt.login,
      protocol: attempt.protocol,
      frontEnd: attempt.frontEnd,
      clientIp: attempt.clientIp,
      relayIp: attempt.relayIp,
      ms: Math.round(elapsedMs * 100) / 100,
      ...(decision.ok ? { account: decision.account.uid, cached } : { rule: decision.rule, detail: decision.detail }),
      ...(decision.delaySeconds ? { delaySeconds: decision.delaySeconds } : {}),
    };
    if (decision.ok) this.log.debug(fields);
    else this.log.info(fields);
  }
}
