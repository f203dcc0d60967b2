// Shared plumbing for starting real peers (slapd, dovecot, nginx, rbldnsd, redis) on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** CI installs every peer, so nothing may skip there: a missing peer fails the test. */
export const inCI = process.env.CI === 'true';

/** Keep temp dirs after stop() for post-mortems: PORTCULLIS_KEEP_PEER_DIRS=1. */
const keepDirs = process.env.PORTCULLIS_KEEP_PEER_DIRS === '1';

/** What each peer needs on disk, and the Debian packages that provide it. */
const PEERS = {
  slapd: { files: ['slapd', 'slapadd', '/usr/lib/ldap/back_mdb.so'], packages: 'slapd' },
  'slapd-argon2': { files: ['/usr/lib/ldap/argon2.so'], packages: 'slapd' },
  'ldap-utils': { files: ['ldapadd', 'ldapsearch', 'ldapwhoami', 'ldappasswd'], packages: 'ldap-utils' },
  dovecot: { files: ['dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3'], packages: 'dovecot-imapd dovecot-pop3d' },
  'dovecot-ldap': { files: ['/usr/lib/dovecot/modules/auth/libauthdb_ldap.so'], packages: 'dovecot-ldap' },
  nginx: { files: ['nginx', '/usr/lib/nginx/modules/ngx_mail_module.so'], packages: 'nginx libnginx-mod-mail' },
  rbldnsd: { files: ['rbldnsd'], packages: 'rbldnsd' },
  curl: { files: ['curl'], packages: 'curl' },
  openssl: { files: ['openssl'], packages: 'openssl' },
  swaks: { files: ['swaks'], packages: 'swaks' },
  chromium: { files: ['chromium'], packages: 'chromium' },
  // Sentinel is `redis-server --sentinel`; redis-cli builds the Cluster.
  redis: { files: ['redis-server', 'redis-cli'], packages: 'redis-server redis-tools' },
} as const;
export type PeerName = keyof typeof PEERS;

// sbin is often missing from a developer's PATH, but slapd, dovecot and nginx live there.
const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of an executable, or undefined. Absolute names are checked as files. */
export function findBinary(name: string): string | undefined {
  const candidates = name.startsWith('/') ? [name] : SEARCH_PATH.filter(Boolean).map((d) => join(d, name));
  for (const file of candidates) {
    try {
      accessSync(file, name.startsWith('/') ? constants.R_OK : constants.X_OK);
      return file;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

function missingReason(peers: readonly PeerName[]): string | undefined {
  for (const peer of peers) {
    const missing = PEERS[peer].files.filter((f) => findBinary(f) === undefined);
    if (missing.length > 0) {
      return `${peer} not installed (missing ${missing.join(', ')}; apt-get install ${PEERS[peer].packages})`;
    }
  }
  return undefined;
}

/**
 * Skip reason for `test(name, { skip: skipUnless('dovecot') }, fn)`, or false when all is there.
 * In CI it is always false, so the test runs and fails loudly in requirePeers().
 */
export function skipUnless(...peers: PeerName[]): string | false {
  if (inCI) return false;
  return missingReason(peers) ?? false;
}

/** Throws a clear error when a peer is missing; every harness calls this first. */
export function requirePeers(...peers: PeerName[]): void {
  const reason = missingReason(peers);
  if (reason !== undefined) throw new Error(reason);
}

/** Absolute path of a binary that requirePeers() has vouched for. */
export function binary(name: string): string {
  const file = findBinary(name);
  if (file === undefined) throw new Error(`${name} not found in ${SEARCH_PATH.join(':')}`);
  return file;
}

/** A port that was free a moment ago (the peer binds it soon after; the race is accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') {
        server.close();
        reject(new Error('no port from listen(0)'));
        return;
      }
      server.close(() => resolve(addr.port));
    });
  });
}

/** A fresh temp dir, world-readable because peers drop privileges (dovenull, rbldns, nobody). */
export async function makeTempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `portcullis-${name}-`));
  await chmod(dir, 0o755);
  liveDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  liveDirs.delete(dir);
  if (!keepDirs) await rm(dir, { recursive: true, force: true });
}

/** Last `lines` lines of a file; empty when it does not exist (yet). */
export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
}

export interface PeerProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited; a peer that dies early fails the wait at once. */
  exitStatus(): string | undefined;
  logTail(lines?: number): string;
  stop(graceMs?: number): Promise<void>;
}

// Every live peer and temp dir, so an aborted test run does not leave daemons or files behind.
const live = new Set<ChildProcess>();
const liveDirs = new Set<string>();
function killAll(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  if (!keepDirs) for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the peer's own process group: master and workers
  } catch {
    // already gone
  }
}

export interface SpawnOptions {
  /** Log file that receives stdout and stderr. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts a foreground daemon in its own process group with output captured to a log file. */
export function spawnPeer(name: string, command: string, args: readonly string[], opts: SpawnOptions): PeerProcess {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', fd, fd],
    detached: true,
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  closeSync(fd);
  child.unref(); // a forgotten stop() must not hang the test runner; the exit hook kills it
  if (child.pid === undefined) throw new Error(`${name}: spawn ${command} failed`);
  live.add(child);
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal !== null ? `killed by ${signal}` : `exited with code ${String(code)}`;
      live.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      status = `failed to start: ${err.message}`;
      live.delete(child);
      resolve();
    });
  });
  const pid = child.pid;
  return {
    name,
    pid,
    logFile: opts.logFile,
    exitStatus: () => status,
    logTail: (lines?: number) => tailFile(opts.logFile, lines),
    async stop(graceMs = 5000) {
      if (status !== undefined) return;
      child.kill('SIGTERM');
      const abort = new AbortController(); // a pending grace timer would hold the runner open
      const timer = sleep(graceMs, 'timeout' as const, { signal: abort.signal }).catch(() => 'aborted' as const);
      const first = await Promise.race([exited.then(() => 'exited' as const), timer]);
      abort.abort();
      if (first === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exited;
      }
      killGroup(child, 'SIGKILL'); // stray workers whose master left them behind
    },
  };
}

function startupError(proc: PeerProcess, what: string, extraLog?: string): Error {
  const tail = [proc.logTail(30), extraLog === undefined ? '' : tailFile(extraLog, 30)].filter(Boolean).join('\n');
  return new Error(`${proc.name}: ${what}\n--- log tail (${proc.logFile}) ---\n${tail}`);
}

function tryConnect(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until 127.0.0.1:port accepts TCP; fails at once if the peer dies, with its log tail. */
export async function waitForTcp(proc: PeerProcess, port: number, timeoutMs = 10_000, extraLog?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = proc.exitStatus();
    if (status !== undefined) throw startupError(proc, `${status} before listening on 127.0.0.1:${port}`, extraLog);
    if (await tryConnect(port, 500)) return;
    if (Date.now() > deadline) {
      throw startupError(proc, `not accepting connections on 127.0.0.1:${port} after ${timeoutMs} ms`, extraLog);
    }
    await sleep(50);
  }
}

/** Waits until the log matches (for peers without TCP, such as rbldnsd on UDP). */
export async function waitForLog(proc: PeerProcess, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pattern.test(proc.logTail(200))) return;
    const status = proc.exitStatus();
    if (status !== undefined) throw startupError(proc, `${status} before logging ${String(pattern)}`);
    if (Date.now() > deadline) throw startupError(proc, `no ${String(pattern)} in the log after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Waits for start-up; on failure stops the peer and removes its dir, then rethrows (log tail included). */
export async function whenStarted(proc: PeerProcess, dir: string, wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (err) {
    await proc.stop();
    await removeTempDir(dir);
    throw err;
  }
}
