/**
 * The real client behind trusted reverse proxies. X-Forwarded-For is believed only when the direct
 * peer is a trusted proxy; then it is walked from the right, each trusted hop vouching for the one
 * before it, and the first untrusted address is the client. Anything a client wrote itself sits
 * further left and is never reached, so a forged header changes nothing.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cidrContains, formatIp, parseCidr, parseIp, type Cidr, type ParsedIp } from '../../guard/net.js';

/** More hops than this is not a proxy chain; the walk stops there. */
const MAX_HOPS = 16;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every request of the web scope (installClientAddress). */
    webClient: ClientAddress | null;
  }
}

export interface ClientAddress {
  /** The client as best known: the peer itself, or the address the trusted proxies vouch for. */
  ip: string | null;
  /** The trusted proxy the request came through, or null when the peer is the client. */
  proxy: string | null;
  /** TLS on the client's side: the socket's own, or X-Forwarded-Proto from a trusted proxy. */
  https: boolean;
}

/** One X-Forwarded-For element: an address, maybe with a port ("192.0.2.1:4711", "[2001:db8::1]:443"). */
function hop(text: string): ParsedIp | null {
  const t = text.trim();
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(t);
  return parseIp(v6?.[1] ?? v4?.[1] ?? t);
}

function headerValues(value: string | string[] | undefined): string[] {
  return [value ?? []].flat().flatMap((v) => v.split(','));
}

/** Resolves every request of the scope once, before anything reads its address. */
export function installClientAddress(scope: FastifyInstance, addresses: ClientAddresses): void {
  scope.decorateRequest('webClient', null);
  scope.addHook('onRequest', async (request) => {
    request.webClient = addresses.resolve(request);
  });
}

/** The client's address for logs, sessions, audit and the pipeline. */
export function clientIp(request: FastifyRequest): string | null {
  return (request.webClient ?? fallback.resolve(request)).ip;
}

/** Whether the client's side of the connection is TLS (Secure cookies, HSTS, Attempt.tls). */
export function clientHttps(request: FastifyRequest): boolean {
  return (request.webClient ?? fallback.resolve(request)).https;
}

export class ClientAddresses {
  private readonly proxies: Cidr[];

  constructor(trustedProxies: readonly string[]) {
    this.proxies = trustedProxies.flatMap((c) => parseCidr(c) ?? []);
  }

  trusted(ip: ParsedIp): boolean {
    return this.proxies.some((c) => cidrContains(c, ip));
  }

  resolve(request: Pick<FastifyRequest, 'headers' | 'protocol'> & { socket: { remoteAddress?: string | undefined } }): ClientAddress {
    const peer = request.socket.remoteAddress ? parseIp(request.socket.remoteAddress) : null;
    const direct = request.protocol === 'https';
    if (!peer || !this.trusted(peer)) return { ip: peer ? formatIp(peer) : null, proxy: null, https: direct };
    const chain = headerValues(request.headers['x-forwarded-for']).slice(-MAX_HOPS);
    let client = peer;
    for (let i = chain.length - 1; i >= 0; i--) {
      const ip = hop(chain[i] ?? '');
      // A malformed hop ends the walk: the last address a trusted hop vouched for stands.
      if (!ip) break;
      client = ip;
      if (!this.trusted(ip)) break;
    }
    // The proxy nearest to us says how the client reached it; only that last value counts.
    const proto = headerValues(request.headers['x-forwarded-proto']).at(-1)?.trim().toLowerCase();
    return { ip: formatIp(client), proxy: formatIp(peer), https: proto === undefined ? direct : proto === 'https' };
  }
}

/** Outside the web scope (never in practice) no proxy is trusted: the peer is the client. */
const fallback = new ClientAddresses([]);
