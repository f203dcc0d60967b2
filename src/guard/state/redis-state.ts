/**
 * Guard state on Redis, shared by every node: counters as sorted sets updated by one Lua script per
 * subject, ban/allow entries in a hash published on a channel. Each node keeps a local copy of the
 * entries (pub/sub plus a periodic full re-read), so checking a ban costs no round trip.
 */
import { Cluster, type Redis } from 'ioredis';
import { LocalLists } from './entry-table.js';
import { GuardKeys, ALL_SETS } from './redis-keys.js';
import { LOAD_ENTRIES, OBSERVE, OBSERVE_MANY, PUT_ENTRY, REMOVE_ENTRIES } from './redis-scripts.js';
import { duplicateForSubscribe, waitReady, type RedisClient } from './redis-connect.js';
import { entryId, type GuardState, type ListEntry, type NewEntry, type SetName, type StateStats, type SubjectOp, type SubjectResult } from './state.js';

const EMPTY: SubjectResult = { counts: [], has: [] };

type Script = (...args: Array<string | number>) => Promise<unknown>;
interface Scripts {
  guardObserve: Script;
  guardObserveMany: Script;
  guardPut: Script;
  guardRemove: Script;
  guardLoad: Script;
}

export interface RedisStateOptions {
  client: RedisClient;
  /** A second connection for pub/sub; made with duplicate() when not given. */
  subscriber?: RedisClient;
  keyPrefix: string;
  maxMembers: number;
  resyncSeconds: number;
  clock: () => number;
  /** Something went wrong in the background (resync, a garbled message). */
  onError?: (what: string, err: unknown) => void;
}

export class RedisState extends LocalLists implements GuardState {
  readonly degraded = false;
  readonly keys: GuardKeys;
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly scripts: Scripts;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisStateOptions) {
    super();
    this.client = options.client;
    this.keys = new GuardKeys(options.keyPrefix);
    this.client.defineCommand('guardObserve', { lua: OBSERVE });
    this.client.defineCommand('guardObserveMany', { lua: OBSERVE_MANY });
    this.client.defineCommand('guardPut', { numberOfKeys: 3, lua: PUT_ENTRY });
    this.client.defineCommand('guardRemove', { numberOfKeys: 2, lua: REMOVE_ENTRIES });
    this.client.defineCommand('guardLoad', { numberOfKeys: 2, lua: LOAD_ENTRIES });
    this.scripts = this.client as unknown as Scripts;
    this.subscriber = options.subscriber ?? duplicateForSubscribe(this.client);
    this.subscriber.on('error', (err: unknown) => options.onError?.('subscriber', err));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.channel) this.apply(message);
    });
    // Messages missed while the connection was down are healed by a full re-read when it is back.
    this.client.on('ready', () => void this.resync().catch((err: unknown) => options.onError?.('resync', err)));
    // The subscriber reconnects on its own schedule, often after the client: what was published in
    // between was missed too. Re-read once it is subscribed again (SUBSCRIBE is idempotent).
    this.subscriber.on('ready', () =>
      void (this.subscriber as Redis)
        .subscribe(this.keys.channel)
        .then(() => this.resync())
        .catch((err: unknown) => options.onError?.('resync', err)),
    );
  }

  /** Subscribes and loads the entries; call once before use (the guard works degraded until it succeeds). */
  async start(timeoutMs = 2000): Promise<void> {
    this.timer = setInterval(() => void this.resync().catch((err: unknown) => this.options.onError?.('resync', err)), this.options.resyncSeconds * 1000);
    this.timer.unref();
    const subscribed = (this.subscriber as Redis).subscribe(this.keys.channel);
    subscribed.catch((err: unknown) => this.options.onError?.('subscribe', err));
    await waitReady(this.client, timeoutMs);
    await subscribed;
    await this.resync();
  }

  async observe(ops: SubjectOp[], nowMs: number): Promise<SubjectResult[]> {
    if (this.client instanceof Cluster) {
      // Subjects hash to different slots: one script each, sent concurrently, each to its slot's node.
      const calls = ops.map((op) => this.encode(op, nowMs));
      return Promise.all(calls.map(async (c) => (c ? c.decode((await this.scripts.guardObserve(...c.args)) as number[]) : EMPTY)));
    }
    // Every subject in one script call: one round trip and one command per decision.
    const many = this.encodeMany(ops, nowMs);
    if (!many) return ops.map(() => EMPTY);
    return many.decode((await this.scripts.guardObserveMany(...many.args)) as number[]);
  }

  /** All subjects for OBSERVE_MANY: one shared KEYS, each subject's ARGV part laid out as in OBSERVE. */
  private encodeMany(ops: SubjectOp[], nowMs: number): { args: Array<string | number>; decode(out: number[]): SubjectResult[] } | null {
    const keys: string[] = [];
    const argv: Array<string | number> = [nowMs, this.options.maxMembers, ops.length];
    for (const op of ops) {
      const index = (set: SetName): number => {
        const key = this.keys.set(op.subject, set);
        let i = keys.indexOf(key);
        if (i < 0) i = keys.push(key) - 1;
        return i + 1;
      };
      const add = op.add ?? [];
      const count = op.count ?? [];
      const has = op.has ?? [];
      argv.push(add.length, ...add.flatMap((a) => [index(a.set), a.member, a.retainMs]));
      argv.push(count.length, ...count.flatMap((c) => [index(c.set), c.sinceMs]));
      argv.push(has.length, ...has.flatMap((h) => [index(h.set), h.member, h.sinceMs]));
    }
    if (keys.length === 0) return null;
    return {
      args: [keys.length, ...keys, ...argv],
      decode: (out) => {
        let at = 0;
        return ops.map((op) => {
          const counts = op.count?.length ?? 0;
          const tests = op.has?.length ?? 0;
          const result = { counts: out.slice(at, at + counts), has: out.slice(at + counts, at + counts + tests).map((v) => v === 1) };
          at += counts + tests;
          return result;
        });
      },
    };
  }

  private encode(op: SubjectOp, nowMs: number): { args: Array<string | number>; decode(out: number[]): SubjectResult } | null {
    const keys: string[] = [];
    const index = (set: SetName): number => {
      const key = this.keys.set(op.subject, set);
      let i = keys.indexOf(key);
      if (i < 0) i = keys.push(key) - 1;
      return i + 1;
    };
    const args: Array<string | number> = [nowMs, this.options.maxMembers];
    const add = op.add ?? [];
    const count = op.count ?? [];
    const has = op.has ?? [];
    args.push(add.length, ...add.flatMap((a) => [index(a.set), a.member, a.retainMs]));
    args.push(count.length, ...count.flatMap((c) => [index(c.set), c.sinceMs]));
    args.push(has.length, ...has.flatMap((h) => [index(h.set), h.member, h.sinceMs]));
    if (keys.length === 0) return null;
    return {
      args: [keys.length, ...keys, ...args],
      decode: (out) => ({ counts: out.slice(0, count.length), has: out.slice(count.length).map((v) => v === 1) }),
    };
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async forget(subjects: string[]): Promise<void> {
    await Promise.all(subjects.map((s) => this.client.del(...ALL_SETS.map((set) => this.keys.set(s, set)))));
  }

  async put(entry: NewEntry, nowMs: number): Promise<ListEntry> {
    const id = entryId(entry.list, entry.target);
    const e = entry.escalation;
    const body = JSON.stringify({ id, list: entry.list, target: entry.target, rule: entry.rule, reason: entry.reason });
    const json = (await this.scripts.guardPut(
      this.keys.listData, this.keys.listExpiry, `${this.keys.offencePrefix()}${id}`,
      id, body, nowMs, entry.ttlSeconds, e ? 1 : 0, e?.factor ?? 1, e?.maxTtlSeconds ?? 0, e?.rememberSeconds ?? 0, this.keys.channel,
    )) as string;
    const stored = parseEntry(json);
    this.table.set(stored); // at once here; other nodes get it from the channel
    return stored;
  }

  /** Puts an entry exactly as it was made elsewhere (a ban made while Redis was down). */
  async adopt(entry: ListEntry, nowMs: number): Promise<void> {
    const ttl = entry.expiresAt === null ? 0 : Math.max(1, Math.ceil((entry.expiresAt - nowMs) / 1000));
    await this.put({ list: entry.list, target: entry.target, rule: entry.rule, reason: entry.reason, ttlSeconds: ttl }, nowMs);
  }

  async remove(ids: string[]): Promise<ListEntry[]> {
    const out = (await this.scripts.guardRemove(this.keys.listData, this.keys.listExpiry, this.keys.channel, ...ids)) as string[];
    for (const id of ids) this.table.delete(id);
    return out.map(parseEntry);
  }

  /** Replaces the local copy with what Redis holds. */
  async resync(): Promise<void> {
    const all = (await this.scripts.guardLoad(this.keys.listData, this.keys.listExpiry, this.options.clock())) as string[];
    const fresh = all.map(parseEntry);
    this.table.clear();
    for (const e of fresh) this.table.set(e);
  }

  stats(nowMs: number): StateStats {
    return { backend: 'redis', degraded: false, subjects: null, ...this.listCounts(nowMs) };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber.disconnect();
    this.client.disconnect();
  }

  private apply(message: string): void {
    try {
      const msg = JSON.parse(message) as { op: 'put'; entry: ListEntry } | { op: 'del'; ids: string[] };
      if (msg.op === 'put') this.table.set(normalise(msg.entry));
      else for (const id of msg.ids) this.table.delete(id);
    } catch (err) {
      this.options.onError?.('message', err);
    }
  }
}

function parseEntry(json: string): ListEntry {
  return normalise(JSON.parse(json) as ListEntry);
}

/** cjson writes null as null but may turn integers into floats: keep the shape exact. */
function normalise(e: ListEntry): ListEntry {
  return { ...e, expiresAt: e.expiresAt === null ? null : Number(e.expiresAt), createdAt: Number(e.createdAt), offences: Number(e.offences) };
}
