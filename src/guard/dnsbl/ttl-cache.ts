/** A small bounded cache with per-entry expiry on an injected clock (oldest inserted evicted first). */
import type { Clock } from '../clock.js';

export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly max: number,
    private readonly clock: Clock,
  ) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.clock()) {
      this.map.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, ttlSeconds: number): void {
    this.map.delete(key);
    this.map.set(key, { value, until: this.clock() + ttlSeconds * 1000 });
    for (const oldest of this.map.keys()) {
      if (this.map.size <= this.max) break;
      this.map.delete(oldest);
    }
  }

  clear(): void {
    this.map.clear();
  }
}
