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

/** A client address as the guard keys it: parsed, canonical text and network. */
interface Client {
  parsed: ParsedIp;
  ip: string;
  network: string;
}

/** Addresses remembered; the cache is dropped whole when full (a flood of fresh addresses only costs the parsing). */
const MAX_CLIENTS = 10_000;

export class SubjectResolver {
  private readonly relays: Cidr[];
  /** Address text as given → its client, or null for a relay or no address: parsing and formatting cost ~1 µs per attempt. */
  private readonly clients = new Map<string, Client | null>();

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
    return this.build(clientIp !== null ? this.client(clientIp) : null, login ?? '', null);
  }

  private build(client: Client | null, rawLogin: string, rawDevice: string | null): Who {
    const login = rawLogin.trim().toLowerCase() || null;
    const device = rawDevice?.trim() || null;
    if (!client) return { ip: null, parsed: null, network: null, login, device };
    return { ip: client.ip, parsed: client.parsed, network: client.network, login, device };
  }

  /** The client behind an address text; null for a trusted relay or what is no address. */
  private client(text: string): Client | null {
    let client = this.clients.get(text);
    if (client !== undefined) return client;
    const parsed = parseIp(text);
    if (parsed && !this.isRelay(parsed)) {
      const bits = parsed.family === 4 ? this.options.networkPrefix.ipv4 : this.options.networkPrefix.ipv6;
      client = { parsed, ip: formatIp(parsed), network: networkOf(parsed, bits) };
    } else {
      client = null;
    }
    if (this.clients.size >= MAX_CLIENTS) this.clients.clear();
    this.clients.set(text, client);
    return client;
  }

  /**
   * The client address: attempt.clientIp unless it is a trusted relay. Without one, the peer itself
   * is the client only when relays are configured and it is not one of them (someone binding to
   * our LDAP directly); with no relays configured we cannot tell, so only the account is counted.
   */
  private clientOf(attempt: Attempt): Client | null {
    if (attempt.clientIp !== null) return this.client(attempt.clientIp);
    if (attempt.relayIp === null || this.relays.length === 0) return null;
    return this.client(attempt.relayIp);
  }
}

export const subjectKey = {
  ip: (ip: string) => `ip:${ip}`,
  network: (net: string) => `net:${net}`,
  account: (login: string) => `acct:${login}`,
  ipAccount: (ip: string, login: string) => `ipacct:${ip}|${login}`,
};
