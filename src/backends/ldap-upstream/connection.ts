/**
 * Connections to the upstream directory: a small pool of service-bound connections shared by
 * searches (LDAP multiplexes requests on one connection), and a fresh connection per user bind,
 * dropped right after, so a user's identity never lingers on a shared connection.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Client, ResultCodeError } from 'ldapts';
import { BackendConfigError } from '../errors.js';

export interface ConnectOptions {
  url: string;
  startTls: boolean;
  tls: ConnectionOptions;
  timeoutMs: number;
}

/** TLS options from the configuration; a CA file that cannot be read stops start-up. */
export function tlsOptions(key: string, tls: { caFile?: string | undefined; rejectUnauthorized: boolean; servername?: string | undefined }): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized };
  if (tls.servername) options.servername = tls.servername;
  if (tls.caFile) {
    try {
      options.ca = readFileSync(tls.caFile);
    } catch (err) {
      throw new BackendConfigError(`${key}.tls.caFile`, `cannot read ${tls.caFile}: ${(err as Error).message}`);
    }
  }
  return options;
}

/** Opens a connection (StartTLS first when asked) and binds; on any error it is closed again. */
export async function openConnection(o: ConnectOptions, bind?: { dn: string; password: string }): Promise<Client> {
  // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps:// URLs.
  const implicitTls = o.url.startsWith('ldaps:');
  const client = new Client({ url: o.url, timeout: o.timeoutMs, connectTimeout: o.timeoutMs, strictDN: false, ...(implicitTls ? { tlsOptions: o.tls } : {}) });
  try {
    if (o.startTls) await client.startTLS(o.tls);
    if (bind) await client.bind(bind.dn, bind.password);
    return client;
  } catch (err) {
    await quietly(client);
    throw err;
  }
}

export async function quietly(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // already gone
  }
}

export class ConnectionPool {
  private readonly slots: Array<Promise<Client> | null>;
  private next = 0;

  constructor(
    private readonly o: ConnectOptions,
    private readonly bind: { dn: string; password: string } | undefined,
    size: number,
  ) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Runs `fn` on a healthy pooled connection; a connection that failed (not an LDAP answer) is replaced. */
  async use<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const index = this.next++ % this.slots.length;
    const client = await this.slot(index);
    try {
      return await fn(client);
    } catch (err) {
      // An LDAP result (no such object, size limit) is an answer; anything else means the connection is suspect.
      if (!(err instanceof ResultCodeError)) this.drop(index, client);
      throw err;
    }
  }

  async close(): Promise<void> {
    const open = this.slots.splice(0, this.slots.length, ...this.slots.map(() => null));
    await Promise.all(
      open.map(async (p) => {
        const client = p ? await p.catch(() => null) : null;
        if (client) await quietly(client);
      }),
    );
  }

  private async slot(index: number): Promise<Client> {
    const existing = this.slots[index];
    if (existing) {
      const client = await existing.catch(() => null);
      // A connection the server closed would be re-opened by ldapts without StartTLS or bind: never reuse it.
      if (client && this.healthy(client)) return client;
      if (this.slots[index] === existing) this.slots[index] = null;
      if (client) void quietly(client);
    }
    const opening = openConnection(this.o, this.bind);
    this.slots[index] = opening;
    try {
      return await opening;
    } catch (err) {
      if (this.slots[index] === opening) this.slots[index] = null;
      throw err;
    }
  }

  private healthy(client: Client): boolean {
    if (!this.bind && !this.o.startTls) return true; // anonymous, plain: a transparent reconnect is the same connection
    return client.isConnected && (!this.bind || client.isBound);
  }

  private drop(index: number, client: Client): void {
    const current = this.slots[index];
    if (current) {
      void current.then((c) => {
        if (c === client && this.slots[index] === current) this.slots[index] = null;
      }, () => undefined);
    }
    void quietly(client);
  }
}
