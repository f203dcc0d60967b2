/**
 * A circuit breaker per backend: after N consecutive failures it opens and answers at once
 * (no one waits on a dead upstream); after a cool-down one probe is let through (half-open);
 * a success closes it, a failure opens it again. The clock is injected so tests never sleep.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** Seconds the circuit stays open before a probe is allowed. */
  openSeconds: number;
  now?: () => number;
  onStateChange?: (state: BreakerState, previous: BreakerState) => void;
}

export class CircuitOpenError extends Error {
  constructor(readonly retryInMs: number) {
    super(`circuit open, next probe in ${Math.ceil(retryInMs / 1000)}s`);
    this.name = 'CircuitOpenError';
  }
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly o: BreakerOptions) {
    this.now = o.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Runs `work` unless the circuit is open; its throw is a failure, its result a success. */
  async run<T>(work: () => Promise<T>, isFailure: (err: unknown) => boolean = () => true): Promise<T> {
    this.admit();
    try {
      const result = await work();
      this.succeeded();
      return result;
    } catch (err) {
      if (isFailure(err)) this.failed();
      else this.succeeded();
      throw err;
    }
  }

  /** Throws CircuitOpenError when no call may go through now. */
  private admit(): void {
    if (this.current === 'closed') return;
    if (this.current === 'open') {
      const waited = this.now() - this.openedAt;
      if (waited < this.o.openSeconds * 1000) throw new CircuitOpenError(this.o.openSeconds * 1000 - waited);
      this.transition('half-open');
    }
    // Half-open: exactly one probe at a time; everyone else is answered at once.
    if (this.probing) throw new CircuitOpenError(0);
    this.probing = true;
  }

  private succeeded(): void {
    this.probing = false;
    this.failures = 0;
    if (this.current !== 'closed') this.transition('closed');
  }

  private failed(): void {
    this.probing = false;
    this.failures += 1;
    if (this.current === 'half-open' || (this.current === 'closed' && this.failures >= this.o.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  private transition(next: BreakerState): void {
    const previous = this.current;
    this.current = next;
    this.o.onStateChange?.(next, previous);
  }
}
