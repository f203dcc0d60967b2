/** Small address helpers for the HTTP front ends. */
import { BlockList, isIP } from 'node:net';

/** The peer address without the IPv4-mapped prefix, so 127.0.0.1 and ::ffff:127.0.0.1 compare equal. */
export function normalizeIp(address: string | undefined): string | null {
  if (!address) return null;
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(plain) ? plain : null;
}

export function isLoopback(ip: string | null): boolean {
  if (ip === null) return false;
  return ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));
}

/** A client IP field from a caller: an IP literal or nothing (garbage is dropped, never trusted). */
export function parseClientIp(value: string | undefined): string | null | 'invalid' {
  if (value === undefined || value === '') return null;
  return normalizeIp(value.trim()) ?? 'invalid';
}

export function blockListOf(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const net of networks) {
    const [addr = '', bits] = net.split('/');
    const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return list;
}

export function inBlockList(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}
