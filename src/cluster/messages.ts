/** The messages from a worker to the cluster primary, beside the guard state's and the gathers'. */
import type { BanEvent } from '../guard/context.js';
import type { ServerPorts } from '../server.js';

/** Worker → primary. */
export type FromWorker =
  | { t: 'cluster.ready'; ports: ServerPorts }
  /** A ban made or lifted by this worker, for the primary's push-out. */
  | { t: 'cluster.ban'; event: BanEvent };
