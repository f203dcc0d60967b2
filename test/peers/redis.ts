// Real Redis topologies on loopback for the guard's Redis tests: a Sentinel group (master, replica,
// sentinels) and a three-master Cluster, each process on a free port in its own temp dir.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { binary, freePort, makeTempDir, removeTempDir, requirePeers, spawnPeer, waitForTcp, type PeerProcess } from './common.js';

const run = promisify(execFile);

export interface HostPort {
  host: string;
  port: number;
}

export interface RedisNode {
  port: number;
  proc: PeerProcess;
  /** One command on a short-lived connection (no retries: a dead node fails at once). */
  command(...args: string[]): Promise<unknown>;
}

/** Master group name the Sentinel setup monitors. */
export const SENTINEL_NAME = 'mymaster';

export interface SentinelSetup {
  master: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  /** For `redis.sentinels`. */
  addresses: HostPort[];
  /** The port the sentinels currently name as master. */
  masterPort(): Promise<number>;
  /** Waits until the sentinels name `port` as master (after a failover). */
  waitForMaster(port: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterSetup {
  nodes: RedisNode[];
  /** For `redis.cluster`. */
  addresses: HostPort[];
  stop(): Promise<void>;
}

async function oneShot(port: number, args: string[]): Promise<unknown> {
  const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null, enableOfflineQueue: false });
  c.on('error', () => {});
  try {
    await c.connect();
    const [name, ...rest] = args;
    return await c.call(name ?? 'PING', ...rest);
  } finally {
    c.disconnect();
  }
}

/** Polls `check` until it returns true; the error names what was awaited and the logs' tails. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, procs: PeerProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const tails = procs.map((p) => `--- ${p.name} (${p.logFile}) ---\n${p.logTail(20)}`).join('\n');
      throw new Error(`redis: ${what} not reached after ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}\n${tails}`);
    }
    await sleep(100);
  }
}

async function startNode(dir: string, name: string, extra: string[] = []): Promise<RedisNode> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra];
  const proc = spawnPeer(name, binary('redis-server'), args, { logFile: join(dir, `${name}.log`) });
  await waitForTcp(proc, port);
  return { port, proc, command: (...a) => oneShot(port, a) };
}

async function stopAll(nodes: RedisNode[], dir: string): Promise<void> {
  await Promise.all(nodes.map((n) => n.proc.stop()));
  await removeTempDir(dir);
}

/**
 * Master + replica + `sentinelCount` sentinels (quorum 1), failing over about 1 s after the
 * master stops answering. Resolves once every sentinel knows the replica as in sync.
 */
export async function startSentinelSetup(sentinelCount: 1 | 3 = 1): Promise<SentinelSetup> {
  requirePeers('redis');
  const dir = await makeTempDir('redis-sentinel');
  const started: RedisNode[] = [];
  try {
    const master = await startNode(dir, 'master');
    started.push(master);
    const replica = await startNode(dir, 'replica', ['--replicaof', '127.0.0.1', String(master.port)]);
    started.push(replica);
    const sentinels: RedisNode[] = [];
    for (let i = 0; i < sentinelCount; i++) {
      const port = await freePort();
      // Sentinel rewrites its config file: one writable file per sentinel.
      const conf = join(dir, `sentinel-${i}.conf`);
      await writeFile(conf, [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 3000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'));
      const proc = spawnPeer(`sentinel-${i}`, binary('redis-server'), [conf, '--sentinel'], { logFile: join(dir, `sentinel-${i}.log`) });
      const node: RedisNode = { port, proc, command: (...a) => oneShot(port, a) };
      started.push(node);
      await waitForTcp(proc, port);
      sentinels.push(node);
    }
    const procs = started.map((n) => n.proc);
    await until('replica in sync', async () => /master_link_status:up/.test(String(await replica.command('INFO', 'replication'))), 10_000, procs);
    // A sentinel finds replicas through the master's INFO; failover needs it to know one.
    for (const s of sentinels) {
      await until(`${s.proc.name} knowing the replica`, async () => {
        const replicas = (await s.command('SENTINEL', 'REPLICAS', SENTINEL_NAME)) as string[][];
        return replicas.some((r) => r.includes(String(replica.port)) && r[r.indexOf('flags') + 1] === 'slave');
      }, 15_000, procs);
    }
    const masterPort = async (): Promise<number> => {
      const addr = (await sentinels[0]?.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as [string, string] | null;
      return addr ? Number(addr[1]) : 0;
    };
    return {
      master,
      replica,
      sentinels,
      addresses: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      masterPort,
      waitForMaster: (port, timeoutMs = 20_000) =>
        until(`sentinels naming 127.0.0.1:${port} master`, async () => {
          if ((await masterPort()) !== port) return false;
          return /role:master/.test(String(await oneShot(port, ['INFO', 'replication'])));
        }, timeoutMs, procs),
      stop: () => stopAll(started, dir),
    };
  } catch (err) {
    await stopAll(started, dir);
    throw err;
  }
}

/** Three masters, no replicas, all 16384 slots assigned; resolves once every node says cluster_state:ok. */
export async function startCluster(): Promise<ClusterSetup> {
  requirePeers('redis');
  const dir = await makeTempDir('redis-cluster');
  const nodes: RedisNode[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      // Each node needs its own nodes.conf; the cluster bus listens on port + 10000.
      nodes.push(await startNode(dir, `cluster-${i}`, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000']));
    }
    const procs = nodes.map((n) => n.proc);
    try {
      await run(binary('redis-cli'), ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`redis-cli --cluster create failed: ${String(err)}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    for (const n of nodes) {
      await until(`${n.proc.name} cluster_state:ok`, async () => /cluster_state:ok/.test(String(await n.command('CLUSTER', 'INFO'))), 20_000, procs);
    }
    return { nodes, addresses: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), stop: () => stopAll(nodes, dir) };
  } catch (err) {
    await stopAll(nodes, dir);
    throw err;
  }
}
