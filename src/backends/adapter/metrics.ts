/**
 * Metrics of authentication backends, registered on the app's registry. Names follow the log
 * events (backend.state, backend.failed) so a log line leads to its dashboard.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from './breaker.js';

/** Gauge values of portcullis_backend_state. */
export const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export type FailureKind = 'timeout' | 'error' | 'garbled' | 'circuit-open';

export class BackendMetrics {
  readonly state: Gauge<'backend'>;
  readonly failures: Counter<'backend' | 'kind'>;
  readonly seconds: Histogram<'backend' | 'op' | 'outcome'>;

  constructor(registry: Registry) {
    this.state = new Gauge({
      name: 'portcullis_backend_state',
      help: 'Circuit breaker state per backend: 0 closed (healthy), 1 half-open (probing), 2 open (failing fast)',
      labelNames: ['backend'] as const,
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'portcullis_backend_failures_total',
      help: 'Backend calls that could not be answered (temporary failures), by kind: timeout, error, garbled, circuit-open',
      labelNames: ['backend', 'kind'] as const,
      registers: [registry],
    });
    this.seconds = new Histogram({
      name: 'portcullis_backend_request_seconds',
      help: 'Time of backend calls by operation (verify, lookup, list) and outcome',
      labelNames: ['backend', 'op', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }
}
