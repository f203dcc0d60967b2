/** IP address arithmetic for the guard: canonical forms, networks (/24, /64), CIDR matching, private ranges. */
import { isIP } from 'node:net';

export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Parses an address; IPv4-mapped IPv6 (::ffff:1.2.3.4) becomes IPv4, so one client has one key. */
export function parseIp(text: string): ParsedIp | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const noZone = bare.split('%')[0] ?? bare;
  const family = isIP(noZone);
  if (family === 4) return { family: 4, value: v4ToBigint(noZone) };
  if (family !== 6) return null;
  const value = v6ToBigint(noZone);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

export function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  return compressV6(groups);
}

/** The canonical text of an address, or null when it is not one. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : null;
}

/** The network an address belongs to, as CIDR text: networkOf('192.0.2.7', 24) = '192.0.2.0/24'. */
export function networkOf(ip: ParsedIp, bits: number): string {
  return `${formatIp({ family: ip.family, value: mask(ip, bits) })}/${bits}`;
}

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseCidr(text: string): Cidr | null {
  const [addr = '', bitsText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = BITS[ip.family];
  // A mapped IPv6 prefix (::ffff:10.0.0.0/104) turns into its IPv4 equivalent.
  let bits = bitsText === undefined ? max : Number(bitsText);
  if (ip.family === 4 && addr.includes(':') && bitsText !== undefined) bits -= 96;
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  return { family: ip.family, base: mask(ip, bits), bits };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp({ family: c.family, value: c.base })}/${c.bits}`;
}

export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  return c.family === ip.family && mask(ip, c.bits) === c.base;
}

export function mask(ip: ParsedIp, bits: number): bigint {
  const total = BITS[ip.family];
  if (bits >= total) return ip.value;
  const keep = ((1n << BigInt(bits)) - 1n) << BigInt(total - bits);
  return ip.value & keep;
}

const PRIVATE = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16',
  '::1/128', '::/128', 'fc00::/7', 'fe80::/10',
].map((c) => parseCidr(c) as Cidr);

/** Loopback, private, link-local and CGNAT addresses: never in a public DNSBL. */
export function isPrivateOrLoopback(ip: ParsedIp): boolean {
  return PRIVATE.some((c) => cidrContains(c, ip));
}

function v4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigint(text: string): bigint {
  let t = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4?.[1]) {
    const n = v4ToBigint(v4[1]);
    t = `${t.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = t.split('::');
  const h = head === '' ? [] : head.split(':');
  const rest = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - h.length - rest.length;
  const groups = [...h, ...Array<string>(zeros).fill('0'), ...rest];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function compressV6(groups: number[]): string {
  // RFC 5952: the longest run (>= 2) of zero groups becomes '::', the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
