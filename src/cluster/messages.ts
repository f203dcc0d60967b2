/** The messages between the cluster primary and its workers, beside the guard state's own. */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { BanEvent } from '../guard/context.js';
import type { ServerPorts } from '../server.js';

export type WorkerMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

/** Worker → primary. */
export type FromWorker =
  | { t: 'cluster.ready'; ports: ServerPorts }
  /** A ban made or lifted by this worker, for the primary's push-out. */
  | { t: 'cluster.ban'; event: BanEvent }
  /** /metrics was asked here: the primary answers every process's metrics added up. */
  | { t: 'cluster.metrics'; id: number }
  | { t: 'cluster.metrics.part'; id: number; metrics: WorkerMetrics };

/** Primary → worker. */
export type FromPrimary =
  | { t: 'cluster.metrics.collect'; id: number }
  | { t: 'cluster.metrics.text'; id: number; text?: string; error?: string };
