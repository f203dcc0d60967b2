import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

const buckets = [0.001, 0.01, 0.1];

/** The same observations through prom-client and through the hot metrics, in two registries. */
function both() {
  const plain = new Registry();
  const hot = new Registry();
  const p = {
    c: new Counter({ name: 't_total', help: 'c', labelNames: ['a', 'b'] as const, registers: [plain] }),
    h: new Histogram({ name: 't_seconds', help: 'h', labelNames: ['stage'] as const, buckets, registers: [plain] }),
  };
  const h = {
    c: new HotCounter({ name: 't_total', help: 'c', labelNames: ['a', 'b'] as const, registers: [hot] }),
    h: new HotHistogram({ name: 't_seconds', help: 'h', labelNames: ['stage'] as const, buckets, registers: [hot] }),
  };
  for (const [a, b] of [['x', 'y'], ['x', 'z'], ['x', 'y'], ['w', 'y']] as const) {
    p.c.inc({ a, b });
    h.c.inc(a, b);
  }
  for (const [v, stage] of [[0.0005, 'pre'], [0.002, 'pre'], [0.05, 'rec'], [3, 'pre'], [0.01, 'rec']] as const) {
    p.h.observe({ stage }, v);
    h.h.observe(v, stage);
  }
  return { plain, hot };
}

test('hot metrics read exactly as prom-client metrics do, as text and as JSON', async () => {
  const { plain, hot } = both();
  assert.equal(await hot.metrics(), await plain.metrics());
  const json = (r: Registry) => r.getMetricsAsJSON().then((m) => JSON.parse(JSON.stringify(m)) as unknown);
  assert.deepEqual(await json(hot), await json(plain));
});

test('the cluster aggregates hot metrics as it does prom-client metrics', async () => {
  const a = both();
  const b = both();
  const sum = async (x: Registry, y: Registry) => AggregatorRegistry.aggregate([await x.getMetricsAsJSON(), await y.getMetricsAsJSON()]).metrics();
  assert.equal(await sum(a.hot, b.hot), await sum(a.plain, b.plain));
});

test('reset empties them', async () => {
  const { plain, hot } = both();
  plain.resetMetrics();
  hot.resetMetrics();
  assert.equal(await hot.metrics(), await plain.metrics());
});
