/**
 * The cluster primary's side of RemoteState: one MemoryState that every worker counts into, so a
 * guess is counted once for the node whichever worker served it. Entries made or removed by any
 * worker are announced to all of them.
 */
import { tagOf, type Channel } from '../../cluster/channel.js';
import { HotSubjects, type HotList } from './hot-subjects.js';
import type { MemoryState } from './memory-state.js';
import type { AnswersMessage, CallsMessage, EntriesMessage, HotMessage, StateCall } from './remote-protocol.js';
import { FAILURE_SETS, type ListEntry } from './state.js';

export class StateHost {
  private readonly peers = new Set<Channel>();
  private readonly hot: HotSubjects;

  constructor(
    private readonly state: MemoryState,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.hot = new HotSubjects(state.maxSubjects);
  }

  /** Serves a worker until the returned function is called (the worker exited). */
  attach(peer: Channel): () => void {
    this.peers.add(peer);
    const unsubscribe = peer.onMessage((message) => {
      if (tagOf(message) === 'guard.calls') this.serve(peer, message as CallsMessage);
    });
    return () => {
      unsubscribe();
      this.peers.delete(peer);
    };
  }

  private serve(peer: Channel, message: CallsMessage): void {
    const answers: AnswersMessage['answers'] = [];
    const put: ListEntry[] = [];
    const removed: string[] = [];
    const heated: HotList = [];
    for (const { id, call } of message.calls) {
      try {
        if (call.op === 'observe') this.heat(call.ops, call.now, heated);
        const value = this.run(call, put, removed);
        if (id !== 0) answers.push({ id, value });
      } catch (err) {
        this.onError(err);
        if (id !== 0) answers.push({ id, error: err instanceof Error ? err.message : 'failed' });
      }
    }
    // Hot subjects first: the asking worker must know them before its next pre-check runs.
    if (heated.length) for (const p of this.peers) this.send(p, { t: 'guard.hot', hot: heated } satisfies HotMessage);
    this.send(peer, { t: 'guard.answers', answers } satisfies AnswersMessage);
    if (put.length || removed.length) {
      const announcement: EntriesMessage = { t: 'guard.entries', put, removed };
      for (const p of this.peers) this.send(p, announcement);
    }
  }

  /** MemoryState works synchronously underneath, so a whole batch is answered in one turn. */
  private run(call: StateCall, put: ListEntry[], removed: string[]): unknown {
    const s = this.state;
    switch (call.op) {
      case 'observe':
        return call.ops.map((op) => s.observeOne(op, call.now));
      case 'forget':
        s.forgetSync(call.subjects);
        return null;
      case 'put': {
        const entry = s.putSync(call.entry, call.now);
        put.push(entry);
        return entry;
      }
      case 'remove': {
        const gone = s.removeSync(call.ids);
        removed.push(...gone.map((e) => e.id));
        return gone;
      }
      case 'entries':
        return s.entries(call.now);
      case 'hot':
        return this.hot.list(call.now);
    }
  }

  /** Failures recorded: their subjects are hot until the failure stops counting (plus slack, see mark). */
  private heat(ops: Extract<StateCall, { op: 'observe' }>['ops'], nowMs: number, heated: HotList): void {
    for (const op of ops) {
      let retainMs = 0;
      for (const a of op.add ?? []) if (FAILURE_SETS.has(a.set)) retainMs = Math.max(retainMs, a.retainMs);
      if (retainMs > 0 && this.hot.mark(op.subject, nowMs + retainMs, nowMs, retainMs / 8)) heated.push([op.subject, this.hot.hotUntil(op.subject)]);
    }
  }

  private send(peer: Channel, message: unknown): void {
    try {
      peer.send(message);
    } catch (err) {
      // A worker that just exited: its calls die with it.
      this.onError(err);
    }
  }
}
