/** The messages between a worker's RemoteState and the StateHost in the cluster primary. */
import type { ListEntry, NewEntry, SubjectOp, SubjectResult } from './state.js';

export type StateCall =
  | { op: 'observe'; ops: SubjectOp[]; now: number }
  | { op: 'forget'; subjects: string[] }
  | { op: 'put'; entry: NewEntry; now: number }
  | { op: 'remove'; ids: string[] }
  | { op: 'entries'; now: number }
  | { op: 'hot'; now: number };

/** What each call answers. */
export interface StateAnswers {
  observe: SubjectResult[];
  forget: null;
  put: ListEntry;
  remove: ListEntry[];
  entries: ListEntry[];
  hot: HotSubjects;
}

/** Subjects with failures on record, each with when its last failure stops counting. */
export type HotSubjects = Array<[subject: string, untilMs: number]>;

/** Worker → host: every call of one event-loop turn. Id 0 wants no answer. */
export interface CallsMessage {
  t: 'guard.calls';
  calls: Array<{ id: number; call: StateCall }>;
}

/** Host → worker: the answers to one CallsMessage. */
export interface AnswersMessage {
  t: 'guard.answers';
  answers: Array<{ id: number; value?: unknown; error?: string }>;
}

/** Host → every worker: entries made or removed, whoever asked. */
export interface EntriesMessage {
  t: 'guard.entries';
  put: ListEntry[];
  removed: string[];
}

/** Host → every worker: subjects that just had a failure recorded (see GuardState.quiet). */
export interface HotMessage {
  t: 'guard.hot';
  hot: HotSubjects;
}
