/**
 * Bounded admission for password hashing. At most `maxRunning` jobs run and at most
 * `maxQueued` wait; a full queue rejects at once with HashingBusyError, and a waiting job
 * whose AbortSignal fires is dropped before it runs (AbortedError). This is what OpenLDAP
 * lacks: under load it keeps hashing for binds whose clients are long gone, work an
 * attacker can queue up for free (CONTRACTS.md §10).
 *
 * Sizing: argon2, bcrypt and PBKDF2 run on the libuv threadpool (4 threads unless
 * UV_THREADPOOL_SIZE is set before start-up, and shared with fs and dns). Set
 * UV_THREADPOOL_SIZE to at least `maxRunning` plus a few threads of headroom, otherwise
 * admitted jobs still queue inside libuv where nothing can drop them.
 */
import { availableParallelism } from 'node:os';
import { AbortedError, HashingBusyError } from './errors.js';

export interface AdmissionOptions {
  /** Jobs running at once; default: the number of CPUs (`os.availableParallelism()`). */
  maxRunning?: number;
  /** Jobs allowed to wait; default 8 × maxRunning (about 0.3 s of queue at OWASP argon2id cost). */
  maxQueued?: number;
}

/** Gauges (`running`, `queued`) and monotonic counters for metrics. */
export interface AdmissionStats {
  running: number;
  queued: number;
  /** Jobs refused because the queue was full. */
  rejected: number;
  /** Jobs dropped because their signal fired before they ran. */
  aborted: number;
  /** Jobs that ran to completion (successfully or not). */
  completed: number;
}

export interface RunOptions {
  /** Fires when the caller (connection, request) has gone; only honoured while waiting. */
  signal?: AbortSignal;
}

interface Waiter {
  start(): void;
}

export class Admission {
  readonly maxRunning: number;
  readonly maxQueued: number;
  #running = 0;
  readonly #queue = new Set<Waiter>();
  #rejected = 0;
  #aborted = 0;
  #completed = 0;

  constructor(options: AdmissionOptions = {}) {
    this.maxRunning = options.maxRunning ?? availableParallelism();
    this.maxQueued = options.maxQueued ?? 8 * this.maxRunning;
    if (!Number.isInteger(this.maxRunning) || this.maxRunning < 1) {
      throw new RangeError(`admission maxRunning must be a positive integer, got ${this.maxRunning}`);
    }
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 0) {
      throw new RangeError(`admission maxQueued must be a non-negative integer, got ${this.maxQueued}`);
    }
  }

  /**
   * Runs `job` when a slot is free. Once started a job is not cancelled: native hashing
   * cannot be stopped, and freeing its slot early would oversubscribe the threadpool.
   */
  run<T>(job: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) {
      this.#aborted++;
      return Promise.reject(new AbortedError(signal.reason));
    }
    if (this.#running < this.maxRunning) return this.#start(job);
    if (this.#queue.size >= this.maxQueued) {
      this.#rejected++;
      return Promise.reject(new HashingBusyError(this.maxRunning, this.maxQueued));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.#queue.delete(waiter);
        this.#aborted++;
        reject(new AbortedError(signal?.reason));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#start(job).then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.add(waiter);
    });
  }

  stats(): AdmissionStats {
    return {
      running: this.#running,
      queued: this.#queue.size,
      rejected: this.#rejected,
      aborted: this.#aborted,
      completed: this.#completed,
    };
  }

  #start<T>(job: () => Promise<T>): Promise<T> {
    this.#running++;
    let result: Promise<T>;
    try {
      result = job();
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.finally(() => {
      this.#running--;
      this.#completed++;
      this.#next();
    });
  }

  #next(): void {
    // FIFO: a Set iterates in insertion order.
    for (const waiter of this.#queue) {
      if (this.#running >= this.maxRunning) return;
      this.#queue.delete(waiter);
      waiter.start();
    }
  }
}
