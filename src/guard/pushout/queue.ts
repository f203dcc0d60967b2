/**
 * A bounded delivery queue per push-out target: one delivery at a time, in order (a ban before its
 * unban), retried with exponential backoff, the oldest dropped when full. Timers never hold the
 * process open; close() stops them.
 */
export interface QueueOptions {
  name: string;
  maxSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** delivered, retry, failed (gave up), dropped (queue full). */
  onResult?: (target: string, result: 'delivered' | 'retry' | 'failed' | 'dropped', err?: unknown) => void;
}

interface Job<T> {
  item: T;
  attempts: number;
}

export class DeliveryQueue<T> {
  private readonly jobs: Array<Job<T>> = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly deliver: (item: T) => Promise<void>,
    private readonly options: QueueOptions,
  ) {}

  get size(): number {
    return this.jobs.length;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.jobs.length >= this.options.maxSize) {
      this.jobs.shift();
      this.options.onResult?.(this.options.name, 'dropped');
    }
    this.jobs.push({ item, attempts: 0 });
    if (!this.running && this.timer === undefined) void this.run();
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.jobs.length = 0;
    this.settle();
  }

  private async run(): Promise<void> {
    this.running = true;
    while (!this.closed) {
      const job = this.jobs[0];
      if (!job) break;
      job.attempts++;
      try {
        await this.deliver(job.item);
        this.jobs.shift();
        this.options.onResult?.(this.options.name, 'delivered');
      } catch (err) {
        if (job.attempts >= this.options.maxAttempts) {
          this.jobs.shift();
          this.options.onResult?.(this.options.name, 'failed', err);
          continue;
        }
        this.options.onResult?.(this.options.name, 'retry', err);
        const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (job.attempts - 1));
        this.running = false;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.run();
        }, delay);
        this.timer.unref();
        return;
      }
    }
    this.running = false;
    this.settle();
  }

  private settle(): void {
    if (this.running || this.jobs.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
