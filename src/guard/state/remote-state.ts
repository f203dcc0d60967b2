/**
 * Guard state held by the cluster primary, seen from a worker. Every worker counts into the same
 * windows there: calls of one event-loop turn travel as one message, and a call that reads nothing
 * (recording a success) is sent without waiting for an answer. Copied here as the primary announces
 * them, so the everyday login costs no round trip: ban and allow entries, and which subjects have
 * failures on record (quiet()). A success seen again soon is not re-sent: the known-good windows
 * are days and the tolerance windows hours, so a member's time being up to COALESCE_MS old is moot.
 */
import { tagOf, type Channel } from '../../cluster/channel.js';
import { LocalLists } from './entry-table.js';
import { HotSubjects } from './hot-subjects.js';
import type { AnswersMessage, CallsMessage, EntriesMessage, HotMessage, StateAnswers, StateCall } from './remote-protocol.js';
import { FAILURE_SETS, type GuardState, type ListEntry, type NewEntry, type SetAdd, type StateStats, type SubjectOp, type SubjectResult } from './state.js';

const COALESCE_MS = 30_000;
/** Successes remembered for coalescing; the oldest are forgotten (and simply sent again). */
const COALESCE_CAP = 100_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class RemoteStateClosedError extends Error {
  constructor() {
    super('the guard state in the cluster primary is unreachable');
  }
}

export class RemoteState extends LocalLists implements GuardState {
  readonly degraded = false;
  private readonly hot: HotSubjects;
  /** "subject set member" → when that success was last sent. */
  private readonly sentOk = new Map<string, number>();
  private readonly pending = new Map<number, Pending>();
  private queue: CallsMessage['calls'] = [];
  private nextId = 1;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly channel: Channel,
    options: { maxSubjects: number },
  ) {
    super();
    this.hot = new HotSubjects(options.maxSubjects);
    this.unsubscribe = channel.onMessage((message) => this.receive(message));
  }

  /** Loads the primary's entries and hot subjects; call once before use. */
  async start(nowMs: number): Promise<void> {
    const [entries, hot] = await Promise.all([this.call({ op: 'entries', now: nowMs }), this.call({ op: 'hot', now: nowMs })]);
    for (const entry of entries) this.table.set(entry);
    this.hot.load(hot, nowMs);
  }

  quiet(subjects: readonly string[], nowMs: number): boolean {
    return !this.closed && this.hot.quiet(subjects, nowMs);
  }

  async observe(ops: SubjectOp[], nowMs: number): Promise<SubjectResult[]> {
    if (ops.every((op) => !op.count?.length && !op.has?.length)) {
      // Nothing to read back: IPC keeps order, so this worker's next read already sees these adds.
      const fresh = ops.flatMap((op) => {
        const add = op.add?.filter((a) => this.worthSending(op.subject, a, nowMs));
        return add?.length ? [{ subject: op.subject, add }] : [];
      });
      if (fresh.length) this.enqueue(0, { op: 'observe', ops: fresh, now: nowMs });
      return ops.map(() => ({ counts: [], has: [] }));
    }
    return this.call({ op: 'observe', ops, now: nowMs });
  }

  /** Failures always; a success unless the same one was sent within COALESCE_MS (and counts far longer). */
  private worthSending(subject: string, add: SetAdd, nowMs: number): boolean {
    if (FAILURE_SETS.has(add.set) || add.retainMs < 10 * COALESCE_MS) return true;
    const key = `${subject} ${add.set} ${add.member}`;
    const sentAt = this.sentOk.get(key);
    if (sentAt !== undefined && nowMs - sentAt < COALESCE_MS && nowMs >= sentAt) return false;
    this.sentOk.delete(key);
    this.sentOk.set(key, nowMs);
    if (this.sentOk.size > COALESCE_CAP) for (const oldest of this.sentOk.keys()) if (this.sentOk.delete(oldest)) break;
    return true;
  }

  async forget(subjects: string[]): Promise<void> {
    await this.call({ op: 'forget', subjects });
  }

  async put(entry: NewEntry, nowMs: number): Promise<ListEntry> {
    const stored = await this.call({ op: 'put', entry, now: nowMs });
    this.table.set(stored); // at once here; the announcement to every worker may come later
    return stored;
  }

  async remove(ids: string[]): Promise<ListEntry[]> {
    const removed = await this.call({ op: 'remove', ids });
    for (const id of ids) this.table.delete(id);
    return removed;
  }

  stats(nowMs: number): StateStats {
    return { backend: 'memory', degraded: false, subjects: null, ...this.listCounts(nowMs) };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.fail(new RemoteStateClosedError());
  }

  /** The primary is gone: every waiting call fails, as later ones will. */
  fail(err: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private call<K extends StateCall['op']>(call: Extract<StateCall, { op: K }>): Promise<StateAnswers[K]> {
    if (this.closed) return Promise.reject(new RemoteStateClosedError());
    const id = this.nextId++;
    return new Promise<StateAnswers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.enqueue(id, call);
    });
  }

  private enqueue(id: number, call: StateCall): void {
    if (this.closed) return;
    this.queue.push({ id, call });
    // One message per event-loop turn: the decisions of every socket read in this turn share it.
    if (this.queue.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const calls = this.queue;
    this.queue = [];
    if (calls.length === 0 || this.closed) return;
    try {
      this.channel.send({ t: 'guard.calls', calls } satisfies CallsMessage);
    } catch (err) {
      this.fail(err instanceof Error ? err : new RemoteStateClosedError());
    }
  }

  private receive(message: unknown): void {
    const tag = tagOf(message);
    if (tag === 'guard.answers') {
      for (const a of (message as AnswersMessage).answers) {
        const p = this.pending.get(a.id);
        if (!p) continue;
        this.pending.delete(a.id);
        if (a.error !== undefined) p.reject(new Error(`guard state: ${a.error}`));
        else p.resolve(a.value);
      }
    } else if (tag === 'guard.hot') {
      this.hot.load((message as HotMessage).hot, Date.now());
    } else if (tag === 'guard.entries') {
      const m = message as EntriesMessage;
      for (const entry of m.put) this.table.set(entry);
      for (const id of m.removed) this.table.delete(id);
    }
  }
}
