/**
 * Change detection for PostgreSQL: one dedicated connection LISTENs on the channel the triggers
 * of migration 4 notify (payload: the schema written). While it is down nothing is cached, and a
 * reconnect drops the cache, since notifications may have been missed meanwhile. Entries also age
 * out after a few seconds, a safety net should a notification ever be lost.
 */
import pg from 'pg';
import type { ChangeSource } from './change-source.js';
import { CHANGE_CHANNEL } from './change-migration.js';

const RETRY_MS = 1000;

export class PgChanges implements ChangeSource {
  readonly maxAgeMs: number;
  private client: pg.Client | null = null;
  private connected = false;
  private schema = '';
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private onChange: () => void = () => undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    options: { maxAgeMs?: number } = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5000;
    void this.connect();
  }

  get live(): boolean {
    return this.connected;
  }

  poll(): boolean {
    return false; // changes are pushed
  }

  subscribe(onChange: () => void): void {
    this.onChange = onChange;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    this.client = client;
    const down = (): void => {
      if (this.client !== client) return;
      this.connected = false;
      this.client = null;
      this.onChange();
      client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.connect(), RETRY_MS).unref();
    };
    client.on('error', down);
    client.on('end', down);
    client.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload === this.schema) this.onChange();
    });
    try {
      await client.connect();
      this.schema = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? '';
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.client !== client || this.closed) return;
      this.onChange(); // whatever was cached before (re)connecting may be stale
      this.connected = true;
    } catch {
      down();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
