/**
 * A cluster worker: the whole app and both front ends on the shared ports, with the guard counting
 * into the primary's state (or Redis, when configured) so the node counts every guess once.
 */
import { createApp, type App } from '../app.js';
import type { Config } from '../config/schema.js';
import { redisConfigured } from '../guard/state/redis-connect.js';
import { RemoteState } from '../guard/state/remote-state.js';
import { startServers, type ServerPorts } from '../server.js';
import type { Logger } from '../telemetry/logger.js';
import type { Channel } from './channel.js';
import type { FromWorker } from './messages.js';
import { WorkerProcessGroup } from './process-group.js';

/** This process's IPC channel to the primary. */
function primaryChannel(): Channel {
  return {
    send: (message) => {
      if (!process.send) throw new Error('not a cluster worker');
      process.send(message);
    },
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

export interface RunningWorker {
  app: App;
  /** Closes the app and lets go of the primary, so the process can end. */
  stop(): Promise<void>;
}

/** Starts this worker; on failure it has closed what it opened and let go of the primary, so it exits. */
export async function runWorker(config: Config, log: Logger): Promise<RunningWorker> {
  try {
    return await start(config, log);
  } catch (err) {
    if (process.connected) process.disconnect();
    throw err;
  }
}

async function start(config: Config, log: Logger): Promise<RunningWorker> {
  const primary = primaryChannel();
  const tell = (message: FromWorker): void => primary.send(message);
  const state = redisConfigured(config.redis) ? undefined : new RemoteState(primary, { maxSubjects: config.guard.limits.maxSubjects });
  const app = await createApp(config, { log, ...(state ? { guardState: state } : {}), pushOut: false, processes: new WorkerProcessGroup(primary) });
  let stopping = false;
  // The primary went away (crashed or killed): calls to its state fail at once, and we stop.
  process.once('disconnect', () => {
    if (stopping) return;
    state?.fail(new Error('the cluster primary exited'));
    log.error({ event: 'cluster.primary-gone' }, 'the cluster primary exited: stopping this worker');
    void app.close().finally(() => process.exit(1));
  });
  let ports: ServerPorts;
  try {
    await state?.start(Date.now());
    app.guardAdmin?.onBan((event) => tell({ t: 'cluster.ban', event }));
    ports = await startServers(app);
  } catch (err) {
    stopping = true;
    await app.close();
    throw err;
  }
  tell({ t: 'cluster.ready', ports });
  return {
    app,
    stop: async () => {
      stopping = true;
      await app.close();
      if (process.connected) process.disconnect();
    },
  };
}
