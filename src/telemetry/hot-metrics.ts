/**
 * Counters and histograms for the decision path. prom-client's inc() and observe() copy, validate
 * and hash their labels on every call (~0.3 µs; a login made five such calls). These keep one
 * entry per label set, found through one Map per label (no key string built), so a call is a few
 * look-ups and additions. They register like prom-client's own metrics and give the same text
 * and JSON (so /metrics and the cluster's AggregatorRegistry see no difference).
 */
import type { Metric, Registry } from 'prom-client';

/** A value as prom-client's get() gives it. */
interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  exemplar?: null;
}

/** Label values in labelNames order → one entry, through one Map per label. */
class LabelTree<T> {
  private readonly root = new Map<string, unknown>();
  readonly entries: Array<{ labels: Record<string, string>; value: T }> = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: () => T,
  ) {}

  get(values: readonly string[]): T {
    let node = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i] ?? '') as Map<string, unknown> | undefined;
      if (!next) node.set(values[i] ?? '', (next = new Map()));
      node = next;
    }
    const key = values[last] ?? '';
    let found = node.get(key) as T | undefined;
    if (found === undefined) {
      found = this.make();
      node.set(key, found);
      this.entries.push({ labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? ''])), value: found });
    }
    return found;
  }

  clear(): void {
    this.root.clear();
    this.entries.length = 0;
  }
}

interface Options<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

abstract class HotMetric<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  protected readonly labelNames: readonly L[];

  constructor(o: Options<L>) {
    if (o.labelNames.length === 0) throw new Error(`${o.name}: a hot metric needs at least one label`);
    this.name = o.name;
    this.help = o.help;
    this.labelNames = o.labelNames;
    // The registry only reads name, help, type, aggregator, get() and reset().
    for (const registry of o.registers) registry.registerMetric(this as unknown as Metric);
  }

  abstract get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Value[] }>;
  abstract reset(): void;
}

export class HotCounter<L extends string> extends HotMetric<L> {
  readonly type = 'counter';
  private readonly tree: LabelTree<{ n: number }>;

  constructor(o: Options<L>) {
    super(o);
    this.tree = new LabelTree(o.labelNames, () => ({ n: 0 }));
  }

  /** Label values in labelNames order. */
  inc(...values: string[]): void {
    this.tree.get(values).n++;
  }

  async get() {
    const values = this.tree.entries.map((e) => ({ labels: e.labels, value: e.value.n }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.tree.clear();
  }
}

interface Series {
  /** Per bucket, not cumulative. */
  counts: number[];
  sum: number;
  count: number;
}

export class HotHistogram<L extends string> extends HotMetric<L> {
  readonly type = 'histogram';
  private readonly buckets: number[];
  private readonly tree: LabelTree<Series>;

  constructor(o: Options<L> & { buckets: readonly number[] }) {
    super(o);
    this.buckets = [...o.buckets].sort((a, b) => a - b);
    this.tree = new LabelTree(o.labelNames, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
  }

  /** The value, then label values in labelNames order. */
  observe(value: number, ...values: string[]): void {
    if (!Number.isFinite(value)) return; // prom-client throws; a metric must never fail a decision
    const series = this.tree.get(values);
    const { buckets } = this;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= (buckets[i] ?? 0)) {
        series.counts[i] = (series.counts[i] ?? 0) + 1;
        break;
      }
    }
    series.sum += value;
    series.count++;
  }

  /** As prom-client's Histogram: cumulative buckets with `le`, then +Inf, sum and count per label set. */
  async get() {
    const values: Value[] = [];
    for (const { labels, value: s } of this.tree.entries) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i] ?? 0;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: s.count, metricName: `${this.name}_bucket`, exemplar: null });
      values.push({ labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.tree.clear();
  }
}
