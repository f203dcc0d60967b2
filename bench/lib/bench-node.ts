/**
 * How a bench child serves: seeded once, then one process, or (BENCH_WORKERS > 1) a cluster primary
 * and its workers, exactly as `portcullis serve` with `workers` set. Workers re-run the child script;
 * they find the primary's data directory in BENCH_DATA_DIR and only serve.
 */
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { startCluster } from '../../src/cluster/primary.js';
import { runWorker } from '../../src/cluster/worker.js';
import type { Config } from '../../src/config/schema.js';
import { startServers, type ServerPorts } from '../../src/server.js';
import { createLogger } from '../../src/telemetry/logger.js';

export const BENCH_WORKERS = Number(process.env.BENCH_WORKERS ?? 1);

/** The primary's temp directory, shared with its workers. */
export function benchDataDir(prefix: string): string {
  process.env.BENCH_DATA_DIR ??= mkdtempSync(join(tmpdir(), prefix));
  return process.env.BENCH_DATA_DIR;
}

/** Serves until SIGTERM/SIGINT; the primary (or the single process) prints {"port"} once serving. */
export async function serveBench(config: Config, seed: (app: App) => Promise<void>, portOf: (ports: ServerPorts) => number | null): Promise<App | null> {
  const log = createLogger({ level: config.log.level });
  if (cluster.isWorker) {
    const worker = await runWorker(config, log);
    const stop = (): void => void worker.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return null;
  }
  const app = await createApp(config, { log, pushOut: BENCH_WORKERS === 1 });
  await seed(app);
  const running = BENCH_WORKERS > 1 ? await startCluster(app, BENCH_WORKERS) : null;
  const ports = running ? running.ports : await startServers(app);
  process.stdout.write(`${JSON.stringify({ port: portOf(ports) })}\n`);
  const stop = async (): Promise<void> => {
    await running?.close();
    await app.close();
    rmSync(config.dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  return app;
}
