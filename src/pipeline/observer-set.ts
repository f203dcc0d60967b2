/**
 * Several pipeline observers behind the one `observer` slot: the log/metrics observer, and any a
 * front end attaches later (the admin dashboard's live counts, the recent-login log). An observer
 * that throws is reported and skipped; it never changes or delays a decision.
 */
import type { Attempt } from './attempt.js';
import type { Decision } from './decision.js';
import type { PipelineObserver } from './pipeline.js';

export class ObserverSet implements PipelineObserver {
  private readonly observers: PipelineObserver[];

  constructor(
    initial: PipelineObserver[] = [],
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.observers = [...initial];
  }

  /** Attaches an observer; returns a function that detaches it. */
  add(observer: PipelineObserver): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  decided(attempt: Attempt, decision: Decision, elapsedMs: number): void {
    for (const observer of this.observers) {
      try {
        observer.decided(attempt, decision, elapsedMs);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
