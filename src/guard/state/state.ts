/**
 * The narrow state interface the guard depends on: atomic "record and count" per subject, and the
 * ban / allow entries. Implemented in memory (default) and on Redis; the guard knows neither.
 */

/**
 * Per-subject sets of members with the time each was last seen. A count is "members seen since t",
 * so one structure gives sliding windows and distinct counts alike.
 *   fail  wrong secrets (fingerprints)      facct  accounts that failed     fip   addresses that failed
 *   ok    accounts that logged in           okip   addresses that logged in okdev devices that logged in
 */
export type SetName = 'fail' | 'facct' | 'fip' | 'ok' | 'okip' | 'okdev';

/** The sets of failures: the only ones rules count (the ok sets only lower their thresholds or spare clients). */
export const FAILURE_SETS: ReadonlySet<SetName> = new Set(['fail', 'facct', 'fip']);

export interface SetAdd {
  set: SetName;
  member: string;
  /** Members older than this are dropped; the set expires this long after its last change. */
  retainMs: number;
}

export interface SubjectOp {
  /** e.g. "ip:192.0.2.7", "net:192.0.2.0/24", "acct:alice", "ipacct:192.0.2.7|alice". */
  subject: string;
  add?: SetAdd[];
  /** Members seen at or after sinceMs. */
  count?: Array<{ set: SetName; sinceMs: number }>;
  /** Was this member seen at or after sinceMs? */
  has?: Array<{ set: SetName; member: string; sinceMs: number }>;
}

export interface SubjectResult {
  counts: number[];
  has: boolean[];
}

export type EntryTarget =
  | { kind: 'ip'; ip: string }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'login'; login: string }
  | { kind: 'iplogin'; ip: string; login: string };

export type ListName = 'ban' | 'allow';

export interface ListEntry {
  /** Deterministic: one entry per list and target, e.g. "ban:ip:192.0.2.7". */
  id: string;
  list: ListName;
  target: EntryTarget;
  /** The rule that made it, or "admin", "api", "config". */
  rule: string;
  reason: string;
  createdAt: number;
  /** null: until removed. */
  expiresAt: number | null;
  /** Bans of this target within the memory window, this one included (escalation). */
  offences: number;
}

export interface NewEntry {
  list: ListName;
  target: EntryTarget;
  rule: string;
  reason: string;
  /** 0: until removed. With escalation the first offence gets this, repeats more. */
  ttlSeconds: number;
  escalation?: Escalation;
}

export interface Escalation {
  factor: number;
  maxTtlSeconds: number;
  rememberSeconds: number;
}

export interface StateStats {
  backend: 'memory' | 'redis';
  /** Redis unreachable: counting in memory meanwhile. */
  degraded: boolean;
  subjects: number | null;
  bans: number;
  allows: number;
}

export interface GuardState {
  /** Per subject, atomically: adds the members, then answers the counts and tests. */
  observe(ops: SubjectOp[], nowMs: number): Promise<SubjectResult[]>;
  /** Drops every counter of these subjects (flush). */
  forget(subjects: string[]): Promise<void>;
  /** The live entry of a list matching an address (exact, any CIDR, ip+login) or a login; local, no round trip. */
  find(list: ListName, ip: string | null, login: string | null, nowMs: number): ListEntry | null;
  get(id: string, nowMs: number): ListEntry | null;
  entries(nowMs: number): ListEntry[];
  /** Adds or replaces an entry; escalation counts earlier bans of the same target. */
  put(entry: NewEntry, nowMs: number): Promise<ListEntry>;
  remove(ids: string[], nowMs: number): Promise<ListEntry[]>;
  stats(nowMs: number): StateStats;
  /**
   * True when, as far as this process knows without a round trip, none of these subjects has a
   * failure on record, so no rule can fire on their counters and the guard may skip reading them.
   * Only a cluster worker's state answers; one whose reads are cheap leaves it out.
   */
  quiet?(subjects: readonly string[], nowMs: number): boolean;
  /** Unavailable (Redis down) right now: the guard applies the fail-open/closed policy. */
  readonly degraded: boolean;
  close(): Promise<void>;
}

export function entryId(list: ListName, target: EntryTarget): string {
  switch (target.kind) {
    case 'ip':
      return `${list}:ip:${target.ip}`;
    case 'cidr':
      return `${list}:cidr:${target.cidr}`;
    case 'login':
      return `${list}:login:${target.login}`;
    case 'iplogin':
      return `${list}:iplogin:${target.ip}|${target.login}`;
  }
}

/** TTL of the n-th offence (n >= 1): ttl × factor^(n-1), capped. */
export function escalatedTtl(ttlSeconds: number, offences: number, e: Escalation): number {
  return Math.min(e.maxTtlSeconds, Math.round(ttlSeconds * e.factor ** Math.max(0, offences - 1)));
}
