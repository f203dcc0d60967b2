/**
 * The cluster primary: forks the workers that serve LDAP and HTTP on the shared ports, keeps the
 * in-memory guard state they all count into, pushes out the bans they make, answers node-wide
 * gathers (/metrics, the dashboard) with every process's part, and replaces a worker that dies.
 */
import cluster, { type Worker } from 'node:cluster';
import type { App } from '../app.js';
import type { BanListener } from '../guard/context.js';
import { startPushOut } from '../guard/pushout/push-out.js';
import { MemoryState } from '../guard/state/memory-state.js';
import { StateHost } from '../guard/state/state-host.js';
import type { ServerPorts } from '../server.js';
import { tagOf, type Channel } from './channel.js';
import type { FromWorker } from './messages.js';
import { GatherHub } from './process-group.js';

const STOP_GRACE_MS = 10_000;
const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before dying is restarted at once again. */
const HEALTHY_MS = 60_000;

export interface RunningCluster {
  /** The ports the first worker bound (they all share them). */
  ports: ServerPorts;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker | null;
  /** Served once: a worker that dies before it is ready fails the start instead of being restarted. */
  ready: boolean;
  startedAt: number;
  restartDelayMs: number;
  detach: () => void;
}

export async function startCluster(app: App, count: number): Promise<RunningCluster> {
  const { log } = app;
  const held = app.guardState instanceof MemoryState ? app.guardState : null;
  const host = held ? new StateHost(held, (err) => log.warn({ event: 'cluster.state-error', err }, 'a guard state call from a worker failed')) : null;
  const banListeners = new Set<BanListener>();
  const pushOut = startPushOut({ onBan: (l) => (banListeners.add(l), () => banListeners.delete(l)) }, app.config.guard.pushOut, { log, registry: app.metrics.registry });
  const slots: Slot[] = [];
  const channels = new Map<Worker, Channel>();
  const hub = new GatherHub(app.processes, () => [...channels].flatMap(([w, c]) => (w.isConnected() ? [c] : [])));
  let stopping = false;

  const fork = (slot: Slot): Promise<ServerPorts> => {
    const worker = cluster.fork();
    const channel: Channel = {
      send: (message) => worker.send(message as object),
      onMessage: (listener) => {
        worker.on('message', listener);
        return () => worker.off('message', listener);
      },
    };
    slot.worker = worker;
    slot.startedAt = Date.now();
    channels.set(worker, channel);
    const detachState = host ? host.attach(channel) : () => {};
    const detachHub = hub.attach(channel);
    slot.detach = () => {
      channels.delete(worker);
      detachState();
      detachHub();
    };
    // A message to a worker that just died fails here, not as an unhandled error in the primary.
    worker.on('error', (err) => log.warn({ event: 'cluster.worker-error', worker: worker.id, err }, `worker ${worker.id}: ${err.message}`));
    worker.on('message', (message: unknown) => {
      if (tagOf(message) !== 'cluster.ban') return;
      const { event } = message as Extract<FromWorker, { t: 'cluster.ban' }>;
      for (const listener of banListeners) listener(event);
    });
    worker.once('exit', (code, signal) => {
      slot.detach();
      slot.worker = null;
      if (stopping || !slot.ready) return;
      const lived = Date.now() - slot.startedAt;
      slot.restartDelayMs = lived >= HEALTHY_MS ? RESTART_MIN_MS : Math.min(RESTART_MAX_MS, slot.restartDelayMs * 2);
      log.error({ event: 'cluster.worker-exit', worker: worker.id, code, signal, restartInMs: slot.restartDelayMs }, `worker ${worker.id} exited: restarting`);
      setTimeout(() => {
        if (!stopping) fork(slot).catch((err: unknown) => log.error({ event: 'cluster.worker-failed', replacing: worker.id, err }, `the replacement for worker ${worker.id} failed to start`));
      }, slot.restartDelayMs).unref();
    });
    return new Promise((resolve, reject) => {
      const onReady = (message: unknown): void => {
        if (tagOf(message) !== 'cluster.ready') return;
        worker.off('message', onReady);
        worker.off('exit', onExit);
        slot.ready = true;
        resolve((message as Extract<FromWorker, { t: 'cluster.ready' }>).ports);
      };
      const onExit = (code: number | null): void => reject(new Error(`worker ${worker.id} exited with ${String(code)} before it was ready`));
      worker.on('message', onReady);
      worker.once('exit', onExit);
    });
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    await Promise.all(slots.map((s) => (s.worker ? stopWorker(s.worker) : undefined)));
    pushOut?.close();
  };

  try {
    for (let i = 0; i < count; i++) slots.push({ worker: null, ready: false, startedAt: 0, restartDelayMs: RESTART_MIN_MS, detach: () => {} });
    const ports = await Promise.all(slots.map(fork));
    log.info({ event: 'cluster.start', workers: count, guardState: held ? 'primary' : 'redis' }, `${count} workers serving`);
    return { ports: ports[0] ?? { ldap: null, http: null }, close: stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SIGTERM, then SIGKILL if the worker has not finished closing within the grace time. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    worker.process.kill('SIGTERM');
  });
}
