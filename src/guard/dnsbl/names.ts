/** DNSBL query names: reversed IPv4 octets or reversed IPv6 nibbles, then the zone. */
import type { ParsedIp } from '../net.js';

export function dnsblQueryName(ip: ParsedIp, zone: string): string {
  const z = zone.replace(/\.$/, '');
  if (ip.family === 4) {
    const octets = [0n, 8n, 16n, 24n].map((s) => String((ip.value >> s) & 0xffn));
    return `${octets.join('.')}.${z}`;
  }
  const nibbles: string[] = [];
  for (let i = 0; i < 32; i++) nibbles.push(((ip.value >> BigInt(i * 4)) & 0xfn).toString(16));
  return `${nibbles.join('.')}.${z}`;
}
