/**
 * Every call into a backend goes through here: the circuit breaker, a hard timeout (even for code
 * that ignores its AbortSignal), metrics and one log line per failure naming the backend. Any
 * failure comes out as BackendUnavailableError: the pipeline's temporary failure.
 */
import type { Logger } from '../../telemetry/logger.js';
import { BackendUnavailableError } from '../errors.js';
import { GarbledAnswerError } from './account.js';
import { CircuitBreaker, CircuitOpenError, type BreakerState } from './breaker.js';
import { STATE_VALUE, type BackendMetrics, type FailureKind } from './metrics.js';

export type Operation = 'verify' | 'lookup' | 'list';

export interface GuardedCallOptions {
  backend: string;
  timeoutMs: number;
  breaker: { failureThreshold: number; openSeconds: number };
  metrics: BackendMetrics;
  log: Logger;
  now?: () => number;
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export class GuardedCalls {
  readonly breaker: CircuitBreaker;

  constructor(private readonly o: GuardedCallOptions) {
    o.metrics.state.set({ backend: o.backend }, STATE_VALUE.closed);
    this.breaker = new CircuitBreaker({
      ...o.breaker,
      ...(o.now ? { now: o.now } : {}),
      onStateChange: (state, previous) => this.stateChanged(state, previous),
    });
  }

  /** Runs `work` with a signal that fires on timeout or when `outer` (the client) goes away. */
  async call<T>(op: Operation, work: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
    const started = performance.now();
    try {
      // A client that went away is not the backend's fault: it does not count towards opening the circuit.
      const result = await this.breaker.run(() => this.withTimeout(work, outer), () => !outer?.aborted);
      this.observe(op, 'ok', started);
      return result;
    } catch (err) {
      const kind = failureKind(err);
      this.observe(op, kind, started);
      this.o.metrics.failures.inc({ backend: this.o.backend, kind });
      const detail = describe(err);
      if (kind !== 'circuit-open') this.o.log.warn({ event: 'backend.failed', backend: this.o.backend, op, kind, detail }, `backend ${this.o.backend} ${op} failed: ${detail}`);
      throw new BackendUnavailableError(this.o.backend, detail);
    }
  }

  private async withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const signal = outer ? AbortSignal.any([controller.signal, outer]) : controller.signal;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new TimeoutError(this.o.timeoutMs);
        controller.abort(err);
        reject(err);
      }, this.o.timeoutMs);
    });
    try {
      return await Promise.race([work(signal), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private observe(op: Operation, outcome: string, started: number): void {
    this.o.metrics.seconds.observe({ backend: this.o.backend, op, outcome }, (performance.now() - started) / 1000);
  }

  private stateChanged(state: BreakerState, previous: BreakerState): void {
    this.o.metrics.state.set({ backend: this.o.backend }, STATE_VALUE[state]);
    const fields = { event: 'backend.state', backend: this.o.backend, state, previous };
    const text = `backend ${this.o.backend} circuit ${state}`;
    if (state === 'closed') this.o.log.info(fields, text);
    else this.o.log.warn(fields, text);
  }
}

function failureKind(err: unknown): FailureKind {
  if (err instanceof CircuitOpenError) return 'circuit-open';
  if (err instanceof TimeoutError) return 'timeout';
  if (err instanceof GarbledAnswerError) return 'garbled';
  return 'error';
}

export function describe(err: unknown): string {
  if (err instanceof BackendUnavailableError) return err.detail;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
