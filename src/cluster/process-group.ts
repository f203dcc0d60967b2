/**
 * The processes serving this node: one, or a cluster primary and its workers. Node-wide views
 * (/metrics, the admin dashboard) gather every process's part through it and add them up; state
 * the node must keep once (webhook de-duplication) is asked of the primary.
 */
import { tagOf, type Channel } from './channel.js';

export type Provider = (arg: unknown) => unknown;

export interface ProcessGroup {
  /** What this process answers for a topic (a registry's metrics, the dashboard's buckets). */
  provide(topic: string, provider: Provider): void;
  /** Every serving process's answer, this one's included; topics nobody provides give []. */
  gather<T>(topic: string, arg?: unknown): Promise<T[]>;
  /** The node's one answer: the primary's provider's (this process's when it serves alone). */
  ask<T>(topic: string, arg?: unknown): Promise<T>;
}

/** A process serving alone, and the primary's own part of a cluster. */
export class LocalProcessGroup implements ProcessGroup {
  private readonly providers = new Map<string, Provider>();
  /** No other process serves beside this one: node-wide views may read this process directly. */
  readonly alone: boolean = true;

  provide(topic: string, provider: Provider): void {
    this.providers.set(topic, provider);
  }

  async gather<T>(topic: string, arg?: unknown): Promise<T[]> {
    const own = await this.answer(topic, arg);
    return own === undefined ? [] : [own as T];
  }

  async ask<T>(topic: string, arg?: unknown): Promise<T> {
    const own = await this.answer(topic, arg);
    if (own === undefined) throw new Error(`nothing answers ${topic} here`);
    return own as T;
  }

  /** This process's answer; undefined when it provides nothing for the topic. */
  async answer(topic: string, arg: unknown): Promise<unknown> {
    const provider = this.providers.get(topic);
    return provider ? await provider(arg) : undefined;
  }
}

/** Worker → primary: gather a topic from everyone (or just ask the primary). Primary → worker: your part, please. */
export interface GatherMessage {
  t: 'cluster.gather' | 'cluster.ask';
  id: number;
  topic: string;
  arg: unknown;
}
export interface CollectMessage {
  t: 'cluster.collect';
  id: number;
  topic: string;
  arg: unknown;
}
/** Worker → primary: its part (undefined: it provides nothing for the topic). */
export interface PartMessage {
  t: 'cluster.part';
  id: number;
  value?: unknown;
  error?: string;
}
/** Primary → worker: every part of a gather it asked for, or the primary's answer to an ask. */
export interface GatheredMessage {
  t: 'cluster.gathered';
  id: number;
  parts?: unknown[];
  error?: string;
}

const GATHER_TIMEOUT_MS = 5000;

/** A cluster worker: answers the primary's collect requests, and gathers through the primary. */
export class WorkerProcessGroup extends LocalProcessGroup {
  override readonly alone = false;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(parts: unknown[]): void; reject(err: Error): void }>();

  constructor(private readonly primary: Channel) {
    super();
    primary.onMessage((message) => {
      const tag = tagOf(message);
      if (tag === 'cluster.collect') void this.collect(message as CollectMessage);
      else if (tag === 'cluster.gathered') this.gathered(message as GatheredMessage);
    });
  }

  override gather<T>(topic: string, arg?: unknown): Promise<T[]> {
    return this.request('cluster.gather', topic, arg) as Promise<T[]>;
  }

  override async ask<T>(topic: string, arg?: unknown): Promise<T> {
    const [answer] = await this.request('cluster.ask', topic, arg);
    if (answer === undefined) throw new Error(`nothing answers ${topic} in the cluster primary`);
    return answer as T;
  }

  private request(kind: GatherMessage['t'], topic: string, arg: unknown): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      const timer = setTimeout(() => this.gathered({ t: 'cluster.gathered', id, error: `no answer for ${topic} from the cluster primary` }), GATHER_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (parts) => (clearTimeout(timer), resolve(parts)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      });
      this.primary.send({ t: kind, id, topic, arg } satisfies GatherMessage);
    });
  }

  private async collect(message: CollectMessage): Promise<void> {
    let part: PartMessage;
    try {
      part = { t: 'cluster.part', id: message.id, value: await this.answer(message.topic, message.arg) };
    } catch (err) {
      part = { t: 'cluster.part', id: message.id, error: err instanceof Error ? err.message : 'failed' };
    }
    this.primary.send(part);
  }

  private gathered(message: GatheredMessage): void {
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    this.waiting.delete(message.id);
    if (message.parts) waiting.resolve(message.parts);
    else waiting.reject(new Error(message.error ?? 'gather failed'));
  }
}

/**
 * The primary's side: a worker's gather is sent to every live worker, their parts and the
 * primary's own are answered together; a worker's ask is answered by the primary alone.
 */
export class GatherHub {
  private nextId = 1;
  private readonly collecting = new Map<number, { parts: unknown[]; missing: Set<Channel>; done(): void }>();

  constructor(
    private readonly own: LocalProcessGroup,
    private readonly workers: () => Channel[],
  ) {}

  /** Serves one worker's gathers and collects its parts; returns the detach function. */
  attach(worker: Channel): () => void {
    const unsubscribe = worker.onMessage((message) => {
      const tag = tagOf(message);
      if (tag === 'cluster.gather' || tag === 'cluster.ask') void this.reply(worker, message as GatherMessage);
      else if (tag === 'cluster.part') this.part(worker, message as PartMessage);
    });
    return () => {
      unsubscribe();
      // A worker that exits mid-gather is not waited for.
      for (const c of this.collecting.values()) if (c.missing.delete(worker) && c.missing.size === 0) c.done();
    };
  }

  private async reply(asker: Channel, request: GatherMessage): Promise<void> {
    let reply: GatheredMessage;
    try {
      const parts = request.t === 'cluster.ask' ? [await this.own.answer(request.topic, request.arg)].filter((a) => a !== undefined) : await this.collect(request.topic, request.arg);
      reply = { t: 'cluster.gathered', id: request.id, parts };
    } catch (err) {
      reply = { t: 'cluster.gathered', id: request.id, error: err instanceof Error ? err.message : 'failed' };
    }
    try {
      asker.send(reply);
    } catch {
      // The asker exited meanwhile.
    }
  }

  private async collect(topic: string, arg: unknown): Promise<unknown[]> {
    const id = this.nextId++;
    const workers = this.workers();
    const parts: unknown[] = [];
    const own = await this.own.answer(topic, arg);
    if (own !== undefined) parts.push(own);
    if (workers.length === 0) return parts;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.collecting.delete(id);
        reject(new Error(`a worker did not answer for ${topic}`));
      }, GATHER_TIMEOUT_MS);
      const done = (): void => {
        clearTimeout(timer);
        this.collecting.delete(id);
        resolve();
      };
      this.collecting.set(id, { parts, missing: new Set(workers), done });
      for (const w of workers) w.send({ t: 'cluster.collect', id, topic, arg } satisfies CollectMessage);
    });
    return parts;
  }

  private part(from: Channel, message: PartMessage): void {
    const c = this.collecting.get(message.id);
    if (!c || !c.missing.delete(from)) return;
    if (message.value !== undefined) c.parts.push(message.value);
    if (c.missing.size === 0) c.done();
  }
}
