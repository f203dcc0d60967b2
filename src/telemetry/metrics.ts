/**
 * Prometheus metrics of the decision path. Names match the log events (auth.decision, guard.*),
 * so an operator can follow one thing from a log line to a dashboard.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

export class Metrics {
  readonly registry = new Registry();

  /** Hot (every decision): label values in labelNames order. */
  readonly attempts = new HotCounter({
    name: 'portcullis_auth_attempts_total',
    help: 'Authentication decisions by protocol, front end and outcome',
    labelNames: ['protocol', 'front_end', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  /** Hot: observe(seconds, cached). */
  readonly decisionSeconds = new HotHistogram({
    name: 'portcullis_auth_decision_seconds',
    help: 'Time to decide an attempt, hashing included',
    labelNames: ['cached'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Hot: inc(result). */
  readonly cacheLookups = new HotCounter({
    name: 'portcullis_verification_cache_total',
    help: 'Verification cache answers: hit (no hash needed) or miss',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly hashing = new Gauge({
    name: 'portcullis_password_hashing',
    help: 'Password hash verifications running and queued',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly hashingRejected = new Counter({
    name: 'portcullis_password_hashing_rejected_total',
    help: 'Verifications refused at once because the queue was full (busy), or dropped because the client left',
    labelNames: ['why'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'portcullis_' });
  }
}
