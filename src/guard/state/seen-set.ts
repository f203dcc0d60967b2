/**
 * Members with the time each was last seen, oldest first (a Map keeps insertion order and a touch
 * re-inserts). Counting "seen since t" walks only the members older than t.
 */
export class SeenSet {
  private readonly seen = new Map<string, number>();
  private retainMs = 0;
  private last = 0;

  get size(): number {
    return this.seen.size;
  }

  touch(member: string, nowMs: number, retainMs: number, cap: number): void {
    this.seen.delete(member);
    this.seen.set(member, nowMs);
    this.last = Math.max(this.last, nowMs);
    this.retainMs = Math.max(this.retainMs, retainMs);
    this.prune(nowMs);
    // Bounded: the least recently seen members go first; counts saturate at the cap.
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= cap) break;
      this.seen.delete(oldest);
    }
  }

  count(sinceMs: number): number {
    let older = 0;
    for (const at of this.seen.values()) {
      if (at >= sinceMs) break;
      older++;
    }
    return this.seen.size - older;
  }

  has(member: string, sinceMs: number): boolean {
    const at = this.seen.get(member);
    return at !== undefined && at >= sinceMs;
  }

  /** Nothing left inside the retention: the whole set can go. */
  expired(nowMs: number): boolean {
    return this.seen.size === 0 || this.last < nowMs - this.retainMs;
  }

  private prune(nowMs: number): void {
    const cutoff = nowMs - this.retainMs;
    for (const [member, at] of this.seen) {
      if (at >= cutoff) break;
      this.seen.delete(member);
    }
  }
}
