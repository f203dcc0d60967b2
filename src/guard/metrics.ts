/** Guard metrics (prom-client); names follow the log events: guard.ban, guard.delay, guard.refuse. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { HotHistogram } from '../telemetry/hot-metrics.js';

export interface GuardMetrics {
  refusals: Counter<'rule' | 'reason'>;
  delays: Counter<'rule'>;
  bans: Counter<'rule' | 'scope'>;
  activeBans: Gauge;
  dnsblSeconds: Histogram<'list'>;
  dnsblAnswers: Counter<'list' | 'result'>;
  stateFailures: Counter<'op'>;
  degraded: Gauge;
  /** Hot (every attempt): observe(seconds, stage). */
  decisionSeconds: HotHistogram<'stage'>;
}

/** Registers the guard's metrics on a registry (reusing them when a second guard shares it). */
export function guardMetrics(registry: Registry, activeBans: () => number): GuardMetrics {
  const reuse = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const registers = [registry];
  return {
    refusals: reuse('portcullis_guard_refusals_total', () => new Counter({ name: 'portcullis_guard_refusals_total', help: 'Attempts the guard refused, by rule', labelNames: ['rule', 'reason'] as const, registers })),
    delays: reuse('portcullis_guard_delays_total', () => new Counter({ name: 'portcullis_guard_delays_total', help: 'Attempts the guard delayed, by rule', labelNames: ['rule'] as const, registers })),
    bans: reuse('portcullis_guard_bans_total', () => new Counter({ name: 'portcullis_guard_bans_total', help: 'Bans made, by rule and scope', labelNames: ['rule', 'scope'] as const, registers })),
    activeBans: reuse('portcullis_guard_active_bans', () => new Gauge({ name: 'portcullis_guard_active_bans', help: 'Bans in force', registers, aggregator: 'max', collect() { this.set(activeBans()); } })),
    dnsblSeconds: reuse('portcullis_guard_dnsbl_seconds', () => new Histogram({ name: 'portcullis_guard_dnsbl_seconds', help: 'DNSBL look-up time by list', labelNames: ['list'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2], registers })),
    dnsblAnswers: reuse('portcullis_guard_dnsbl_answers_total', () => new Counter({ name: 'portcullis_guard_dnsbl_answers_total', help: 'DNSBL answers by list: listed, clean, error', labelNames: ['list', 'result'] as const, registers })),
    stateFailures: reuse('portcullis_guard_state_failures_total', () => new Counter({ name: 'portcullis_guard_state_failures_total', help: 'Redis operations that failed (counted in memory meanwhile)', labelNames: ['op'] as const, registers })),
    degraded: reuse('portcullis_guard_state_degraded', () => new Gauge({ name: 'portcullis_guard_state_degraded', help: '1 while Redis is unreachable', registers, aggregator: 'max' })),
    decisionSeconds: reuse('portcullis_guard_decision_seconds', () => new HotHistogram({ name: 'portcullis_guard_decision_seconds', help: 'Guard overhead per attempt: precheck and record', labelNames: ['stage'] as const, buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5], registers })),
  };
}
