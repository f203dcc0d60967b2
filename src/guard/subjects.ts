/**
 * Who an attempt is, as the guard counts it: the client address (never a trusted relay's), its
 * network, the account and the device. Subjects are the keys counters are kept under.
 */
import type { Attempt } from '../pipeline/attempt.js';
import { cidrContains, formatIp, networkOf, parseCidr, parseIp, type Cidr, type ParsedIp } from './net.js';

export interface Who {
  /** Canonical client address; null when only a relay is known (LDAP binds from Stalwart). */
  ip: string | null;
  parsed: ParsedIp | null;
  /** e.g. 192.0.2.0/24, 2001:db8:1:2::/64. */
  network: string | null;
  /** The login as typed, lowercased: attacks target names, whether they exist or not. */
  login: string | null;
  device: string | null;
}

export interface WhoOptions {
  trustedRelays: readonly string[];
  networkPrefix: { ipv4: number; ipv6: number };
}

export class SubjectResolver {
  private readonly relays: Cidr[];

  constructor(private readonly options: WhoOptions) {
    this.relays = options.trustedRelays.flatMap((c) => parseCidr(c) ?? []);
  }

  isRelay(ip: ParsedIp): boolean {
    return this.relays.some((c) => cidrContains(c, ip));
  }

  resolve(attempt: Attempt): Who {
    return this.build(this.clientOf(attempt), attempt.login, attempt.deviceId ?? null);
  }

  /** For admin queries: an address (a relay counts as none) and/or a login. */
  of(clientIp: string | null, login: string | null): Who {
    const ip = clientIp !== null ? parseIp(clientIp) : null;
    return this.build(ip && !this.isRelay(ip) ? ip : null, login ?? '', null);
  }

  private build(parsed: ParsedIp | null, rawLogin: string, rawDevice: string | null): Who {
    const login = rawLogin.trim().toLowerCase() || null;
    const device = rawDevice?.trim() || null;
    if (!parsed) return { ip: null, parsed: null, network: null, login, device };
    const bits = parsed.family === 4 ? this.options.networkPrefix.ipv4 : this.options.networkPrefix.ipv6;
    return { ip: formatIp(parsed), parsed, network: networkOf(parsed, bits), login, device };
  }

  /**
   * The client address: attempt.clientIp unless it is a trusted relay. Without one, the peer itself
   * is the client only when relays are configured and it is not one of them (someone binding to
   * our LDAP directly); with no relays configured we cannot tell, so only the account is counted.
   */
  private clientOf(attempt: Attempt): ParsedIp | null {
    if (attempt.clientIp !== null) {
      const ip = parseIp(attempt.clientIp);
      return ip && !this.isRelay(ip) ? ip : null;
    }
    if (attempt.relayIp === null || this.relays.length === 0) return null;
    const peer = parseIp(attempt.relayIp);
    return peer && !this.isRelay(peer) ? peer : null;
  }
}

export const subjectKey = {
  ip: (ip: string) => `ip:${ip}`,
  network: (net: string) => `net:${net}`,
  account: (login: string) => `acct:${login}`,
  ipAccount: (ip: string, login: string) => `ipacct:${ip}|${login}`,
};
