// A real rbldnsd serving DNSBL zones on a loopback UDP port, for the DNSBL checks (CONTRACTS.md §8).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binary, freePort, makeTempDir, removeTempDir, requirePeers, spawnPeer, whenStarted, waitForLog } from './common.js';

/**
 * rbldnsd dataset types. ip4set: addresses, CIDRs, ranges. ip6trie: any IPv6 prefix.
 * ip6tset: /64 prefixes written as four groups ("2001:db8:1:0"), full addresses only as "!" exclusions.
 */
export type ZoneType = 'ip4set' | 'ip4trie' | 'ip6trie' | 'ip6tset';

export interface Zone {
  /** e.g. "bl.test"; queries are <reversed ip>.<name>. */
  name: string;
  type: ZoneType;
  entries: readonly string[];
  /** A record for listed entries. Default 127.0.0.2. */
  answer?: string;
  /** TXT for listed entries; "$" is replaced by the queried address. */
  txt?: string;
}

export interface Rbldnsd {
  /** UDP port on 127.0.0.1: Resolver.setServers([`127.0.0.1:${port}`]). */
  port: number;
  server: string;
  dir: string;
  /** Rewrites a zone's entries; rbldnsd re-reads changed files within about a second. */
  updateZone(name: string, entries: readonly string[]): Promise<void>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const fileOf = (z: Pick<Zone, 'name'>): string => `${z.name}.zone`;

function zoneData(z: Zone): string {
  return [`:${z.answer ?? '127.0.0.2'}:${z.txt ?? `Listed in ${z.name}: $`}`, ...z.entries, ''].join('\n');
}

/** Starts rbldnsd in the foreground (-n); ready once it logs "started". */
export async function startRbldnsd(zones: readonly Zone[]): Promise<Rbldnsd> {
  requirePeers('rbldnsd');
  if (zones.length === 0) throw new Error('rbldnsd: at least one zone is needed');
  const dir = await makeTempDir('rbldnsd');
  for (const z of zones) await writeFile(join(dir, fileOf(z)), zoneData(z), { mode: 0o644 });
  // A UDP port free for TCP is very likely free for UDP too; rbldnsd exits loudly if not.
  const port = await freePort();
  // -c 1: recheck data files every second so updateZone() takes effect quickly.
  // -w without -r: -r would chroot and make -w relative to the chroot.
  const args = ['-n', '-c', '1', '-b', `127.0.0.1/${port}`, '-w', dir, ...zones.map((z) => `${z.name}:${z.type}:${fileOf(z)}`)];
  const proc = spawnPeer('rbldnsd', binary('rbldnsd'), args, { logFile: join(dir, 'rbldnsd.log') });
  await whenStarted(proc, dir, () => waitForLog(proc, /started \(/));
  return {
    port,
    server: `127.0.0.1:${port}`,
    dir,
    async updateZone(name, entries) {
      const z = zones.find((x) => x.name === name);
      if (z === undefined) throw new Error(`rbldnsd: no zone ${name}`);
      await writeFile(join(dir, fileOf(z)), zoneData({ ...z, entries }));
    },
    logTail: (lines) => proc.logTail(lines),
    async stop() {
      await proc.stop();
      await removeTempDir(dir);
    },
  };
}

/** The DNSBL query name for an address: reversed octets (IPv4) or nibbles (IPv6) + zone. */
export function dnsblName(ip: string, zone: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.${zone}`;
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const full = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = full.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.${zone}`;
}
