/** The default state: counters and lists in this process's memory, bounded by LRU eviction of whole subjects. */
import { LocalLists } from './entry-table.js';
import { SeenSet } from './seen-set.js';
import {
  entryId,
  escalatedTtl,
  type GuardState,
  type ListEntry,
  type NewEntry,
  type SetName,
  type StateStats,
  type SubjectOp,
  type SubjectResult,
} from './state.js';

export interface MemoryStateOptions {
  maxSubjects: number;
  maxMembers: number;
}

type Subject = Map<SetName, SeenSet>;

export class MemoryState extends LocalLists implements GuardState {
  readonly degraded = false;
  private readonly subjects = new Map<string, Subject>();
  /** The subject at the end of the LRU order: touching it again needs no re-insert. */
  private newest: string | null = null;
  /** Target id → offences and when the last ban ended, for escalation; bounded like subjects. */
  private readonly offences = new Map<string, { count: number; lastEnd: number }>();

  constructor(private readonly options: MemoryStateOptions) {
    super();
  }

  get maxSubjects(): number {
    return this.options.maxSubjects;
  }

  get subjectCount(): number {
    return this.subjects.size;
  }

  async observe(ops: SubjectOp[], nowMs: number): Promise<SubjectResult[]> {
    return ops.map((op) => this.observeOne(op, nowMs));
  }

  /** Synchronous form, for the Redis fallback, the cluster primary's StateHost and benchmarks. */
  observeOne(op: SubjectOp, nowMs: number): SubjectResult {
    let subject = this.subjects.get(op.subject);
    if (subject && this.newest !== op.subject) {
      // Least recently used order: a touch moves the subject to the end.
      this.subjects.delete(op.subject);
      this.subjects.set(op.subject, subject);
      this.newest = op.subject;
    }
    if (op.add?.length) {
      if (!subject) subject = this.create(op.subject);
      for (const a of op.add) {
        let set = subject.get(a.set);
        if (!set) subject.set(a.set, (set = new SeenSet()));
        set.touch(a.member, nowMs, a.retainMs, this.options.maxMembers);
      }
    }
    const counts = (op.count ?? []).map((c) => subject?.get(c.set)?.count(c.sinceMs) ?? 0);
    const has = (op.has ?? []).map((h) => subject?.get(h.set)?.has(h.member, h.sinceMs) ?? false);
    return { counts, has };
  }

  async forget(subjects: string[]): Promise<void> {
    this.forgetSync(subjects);
  }

  forgetSync(subjects: string[]): void {
    for (const s of subjects) this.subjects.delete(s);
    this.newest = null;
  }

  async put(entry: NewEntry, nowMs: number): Promise<ListEntry> {
    return this.putSync(entry, nowMs);
  }

  putSync(entry: NewEntry, nowMs: number): ListEntry {
    const id = entryId(entry.list, entry.target);
    let offences = 1;
    let ttl = entry.ttlSeconds;
    if (entry.escalation) {
      const past = this.offences.get(id);
      const remembered = past && past.lastEnd + entry.escalation.rememberSeconds * 1000 >= nowMs;
      offences = remembered ? past.count + 1 : 1;
      ttl = escalatedTtl(entry.ttlSeconds, offences, entry.escalation);
      this.offences.delete(id);
      this.offences.set(id, { count: offences, lastEnd: nowMs + ttl * 1000 });
      for (const oldest of this.offences.keys()) {
        if (this.offences.size <= this.options.maxSubjects) break;
        this.offences.delete(oldest);
      }
    }
    const stored: ListEntry = {
      id,
      list: entry.list,
      target: entry.target,
      rule: entry.rule,
      reason: entry.reason,
      createdAt: nowMs,
      expiresAt: ttl > 0 ? nowMs + ttl * 1000 : null,
      offences,
    };
    this.table.set(stored);
    return stored;
  }

  /** Takes an entry as it is (from another node or a resync). */
  adopt(entry: ListEntry): void {
    this.table.set(entry);
  }

  async remove(ids: string[]): Promise<ListEntry[]> {
    return this.removeSync(ids);
  }

  removeSync(ids: string[]): ListEntry[] {
    return ids.flatMap((id) => this.table.delete(id) ?? []);
  }

  stats(nowMs: number): StateStats {
    return { backend: 'memory', degraded: false, subjects: this.subjects.size, ...this.listCounts(nowMs) };
  }

  async close(): Promise<void> {}

  private create(name: string): Subject {
    const subject: Subject = new Map();
    this.subjects.set(name, subject);
    this.newest = name;
    // Evict the least recently used subjects; an evicted attacker starts from zero, a bounded cost.
    for (const oldest of this.subjects.keys()) {
      if (this.subjects.size <= this.options.maxSubjects) break;
      this.subjects.delete(oldest);
    }
    return subject;
  }
}
