/**
 * Which subjects have failures on record, and until when they count: what lets a cluster worker
 * skip reading counters that no rule could fire on. Bounded: past the cap it forgets the oldest
 * and, until that one would have cooled, answers "maybe hot" for every subject.
 */
export type HotList = Array<[subject: string, untilMs: number]>;

/** In a HotList: every subject is hot until then (the cap was reached). */
const EVERYTHING = '*';

export class HotSubjects {
  private readonly until = new Map<string, number>();
  private everythingUntil = 0;

  constructor(private readonly cap: number) {}

  /**
   * Records a failure counting until `untilMs`; true when that made the subject hot for longer.
   * With slack the subject is kept hot that much longer, so a subject failing again and again is
   * announced again only once per slack, not on every failure.
   */
  mark(subject: string, untilMs: number, nowMs: number, slackMs = 0): boolean {
    const current = this.until.get(subject) ?? 0;
    if (untilMs <= current) return false;
    // Re-inserted, so the Map's order is the order of last marking: the oldest go first.
    this.until.delete(subject);
    this.until.set(subject, untilMs + slackMs);
    if (this.until.size > this.cap) this.evict(nowMs);
    return true;
  }

  quiet(subjects: readonly string[], nowMs: number): boolean {
    if (nowMs < this.everythingUntil) return false;
    for (const s of subjects) {
      const until = this.until.get(s);
      if (until === undefined) continue;
      if (until > nowMs) return false;
      this.until.delete(s);
    }
    return true;
  }

  /** How long a subject is hot for now; 0 when it is not. */
  hotUntil(subject: string): number {
    return Math.max(this.until.get(subject) ?? 0, this.everythingUntil);
  }

  list(nowMs: number): HotList {
    const out: HotList = [];
    for (const [s, until] of this.until) if (until > nowMs) out.push([s, until]);
    if (this.everythingUntil > nowMs) out.push([EVERYTHING, this.everythingUntil]);
    return out;
  }

  load(list: HotList, nowMs: number): void {
    for (const [s, until] of list) {
      if (s === EVERYTHING) this.everythingUntil = Math.max(this.everythingUntil, until);
      else this.mark(s, until, nowMs);
    }
  }

  private evict(nowMs: number): void {
    for (const [s, until] of this.until) {
      if (this.until.size <= this.cap) return;
      this.until.delete(s);
      // Forgetting a subject that still counts would hide its failures: assume everything is hot instead.
      if (until > nowMs) this.everythingUntil = Math.max(this.everythingUntil, until);
    }
  }
}
