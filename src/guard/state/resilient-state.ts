/**
 * Redis with a fallback: when Redis fails, counting and bans continue in this process's memory
 * (logged and counted), and the guard applies its fail-open/closed policy. When Redis answers
 * again, bans made meanwhile are written back and the local copy is re-read.
 */
import type { MemoryState } from './memory-state.js';
import type { RedisState } from './redis-state.js';
import type { GuardState, ListEntry, ListName, NewEntry, StateStats, SubjectOp, SubjectResult } from './state.js';

export interface ResilienceHooks {
  /** Every failed operation (for a metric). */
  failed(op: string, err: unknown): void;
  /** Transitions only (for a log line and a gauge). */
  down(err: unknown): void;
  up(): void;
}

/** While down, Redis is tried again at most this often, so a hung server costs one timeout per interval. */
const PROBE_MS = 1000;

export class ResilientState implements GuardState {
  private down = false;
  private nextProbe = 0;
  private prober: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: RedisState,
    private readonly fallback: MemoryState,
    private readonly hooks: ResilienceHooks,
    private readonly clock: () => number,
  ) {}

  get degraded(): boolean {
    return this.down;
  }

  observe(ops: SubjectOp[], nowMs: number): Promise<SubjectResult[]> {
    return this.attempt('observe', () => this.redis.observe(ops, nowMs), () => this.fallback.observe(ops, nowMs));
  }

  forget(subjects: string[]): Promise<void> {
    return this.attempt('forget', () => this.redis.forget(subjects), () => this.fallback.forget(subjects));
  }

  find(list: ListName, ip: string | null, login: string | null, nowMs: number): ListEntry | null {
    return this.redis.find(list, ip, login, nowMs) ?? this.fallback.find(list, ip, login, nowMs);
  }

  get(id: string, nowMs: number): ListEntry | null {
    return this.redis.get(id, nowMs) ?? this.fallback.get(id, nowMs);
  }

  entries(nowMs: number): ListEntry[] {
    const local = this.fallback.entries(nowMs);
    const ids = new Set(local.map((e) => e.id));
    return [...this.redis.entries(nowMs).filter((e) => !ids.has(e.id)), ...local];
  }

  put(entry: NewEntry, nowMs: number): Promise<ListEntry> {
    return this.attempt('put', () => this.redis.put(entry, nowMs), () => this.fallback.put(entry, nowMs));
  }

  async remove(ids: string[], nowMs: number): Promise<ListEntry[]> {
    const local = await this.fallback.remove(ids);
    const shared = await this.attempt('remove', () => this.redis.remove(ids), async () => [] as ListEntry[]);
    return [...shared, ...local.filter((l) => !shared.some((s) => s.id === l.id))];
  }

  stats(nowMs: number): StateStats {
    const s = this.redis.stats(nowMs);
    const f = this.fallback.stats(nowMs);
    return { ...s, degraded: this.down, subjects: this.down ? f.subjects : null, bans: s.bans + f.bans, allows: s.allows + f.allows };
  }

  async close(): Promise<void> {
    clearInterval(this.prober);
    await this.redis.close();
  }

  private async attempt<T>(op: string, shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.down && performance.now() < this.nextProbe) return local();
    try {
      const result = await shared();
      if (this.down) await this.recover();
      return result;
    } catch (err) {
      this.hooks.failed(op, err);
      this.nextProbe = performance.now() + PROBE_MS;
      if (!this.down) this.markDown(err);
      return local();
    }
  }

  private markDown(err: unknown): void {
    this.down = true;
    this.hooks.down(err);
    // Probe on a timer too: a guard failing closed may have no traffic reaching Redis to notice recovery.
    clearInterval(this.prober);
    this.prober = setInterval(() => {
      this.redis
        .ping()
        .then(() => (this.down ? this.recover() : undefined))
        .catch(() => {});
    }, PROBE_MS);
    this.prober.unref();
  }

  private async recover(): Promise<void> {
    if (!this.down) return;
    clearInterval(this.prober);
    this.down = false;
    const now = this.clock();
    const made = this.fallback.entries(now);
    try {
      for (const e of made) await this.redis.adopt(e, now);
      await this.fallback.remove(made.map((e) => e.id));
      await this.redis.resync();
    } catch (err) {
      // Down again already: stay on the fallback, entries kept.
      this.hooks.failed('recover', err);
      this.down = false;
      this.markDown(err);
      return;
    }
    this.hooks.up();
  }
}
