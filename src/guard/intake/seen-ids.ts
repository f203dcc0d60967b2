/**
 * Event ids already handled, remembered for a window, so a redelivered webhook batch is not counted
 * twice: in memory for one node (its cluster workers ask the primary's), in Redis (SET NX PX per id)
 * so that every node agrees.
 */
import type { ProcessGroup } from '../../cluster/process-group.js';
import { waitReady, type RedisClient } from '../state/redis-connect.js';

/** The node's Stalwart webhook ids, when no Redis holds them. */
export const STALWART_SEEN_IDS = 'intake.stalwart.seen';

export interface SeenIds {
  /** Marks the id as handled; false when it already was (within the window). Throws when it cannot tell. */
  claim(id: string): Promise<boolean>;
  /** Forgets a claim whose handling failed, so a redelivery is handled. */
  release(id: string): Promise<void>;
}

export class MemorySeenIds implements SeenIds {
  /** Insertion order is expiry order: every id gets the same window. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxIds = 500_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(id: string): Promise<boolean> {
    const now = this.now();
    this.prune(now);
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.delete(id);
    this.seen.set(id, now + this.windowMs);
    return true;
  }

  async release(id: string): Promise<void> {
    this.seen.delete(id);
  }

  private prune(now: number): void {
    for (const [id, until] of this.seen) {
      if (until > now && this.seen.size < this.maxIds) break;
      this.seen.delete(id);
    }
  }
}

/** The one MemorySeenIds of the node: a cluster worker asks the primary's, a single process its own. */
export class NodeSeenIds implements SeenIds {
  constructor(
    private readonly processes: ProcessGroup,
    private readonly topic: string,
  ) {}

  /** Makes `memory` answer for the topic; every process does, only the primary's is asked in a cluster. */
  static provide(processes: ProcessGroup, topic: string, memory: MemorySeenIds): void {
    processes.provide(`${topic}.claim`, (id) => memory.claim(String(id)));
    processes.provide(`${topic}.release`, async (id) => (await memory.release(String(id)), true));
  }

  claim(id: string): Promise<boolean> {
    return this.processes.ask<boolean>(`${this.topic}.claim`, id);
  }

  async release(id: string): Promise<void> {
    await this.processes.ask<boolean>(`${this.topic}.release`, id);
  }
}

export class RedisSeenIds implements SeenIds {
  constructor(
    private readonly client: RedisClient,
    /** e.g. "portcullis:intake:stalwart:seen:" — built by intakeKeys(). */
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {}

  async claim(id: string): Promise<boolean> {
    // Fail-fast client (no offline queue): give a fresh connection a moment, then let the caller retry later.
    if (this.client.status !== 'ready') await waitReady(this.client, 1000);
    const reply = await this.client.set(this.prefix + id, '1', 'PX', this.windowMs, 'NX');
    return reply === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.client.del(this.prefix + id);
  }
}

/** The intake's Redis keys, in the style of the guard's redis-keys module (one place builds them). */
export function intakeKeys(prefix: string, source: string): { seen: string } {
  return { seen: `${prefix}intake:${source}:seen:` };
}
