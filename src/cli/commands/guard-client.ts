/**
 * The CLI's way to the guard: the running server's admin API (/api/v1/guard/…). Counters and bans
 * live in the server's memory (or Redis), which a separate CLI process cannot see, so it asks.
 */
import { isIP } from 'node:net';
import type { CliContext } from '../context.js';

export interface ServerOptions {
  url?: string;
  apiKey?: string;
}

export class GuardClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  /** --url / $PORTCULLIS_URL, else http.listen; --api-key / $PORTCULLIS_API_KEY, else a configured caller with the admin group. */
  static from(ctx: CliContext, options: ServerOptions): GuardClient {
    const config = ctx.config();
    const url = options.url ?? process.env['PORTCULLIS_URL'] ?? listenUrl(config.http.listen.host, config.http.listen.port);
    const key = options.apiKey ?? process.env['PORTCULLIS_API_KEY'] ?? config.http.callers.find((c) => c.endpoints.includes('admin'))?.apiKey;
    return new GuardClient(url.replace(/\/+$/, ''), key);
  }

  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: { ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
      throw new Error(`cannot reach the Portcullis server at ${this.baseUrl} (${cause}); is \`portcullis serve\` running? (set --url or PORTCULLIS_URL)`);
    }
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      // not JSON: reported below
    }
    if (!res.ok) {
      const message = (data as { message?: string } | null)?.message ?? `HTTP ${res.status}`;
      const hint = res.status === 401 || res.status === 403 ? ' (an API key with the "admin" endpoint group is needed: --api-key or PORTCULLIS_API_KEY)' : '';
      throw new Error(`${message}${hint}`);
    }
    return data as T;
  }
}

function listenUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}

/** `203.0.113.7`, `203.0.113.0/24`, a login, or an entry id (`ban:ip:…`). */
export function targetArg(value: string, login?: string): Record<string, string> {
  if (/^(ban|allow):/.test(value)) return { id: value };
  if (value.includes('/')) return { cidr: value, ...(login ? { login } : {}) };
  if (isIP(value)) return { ip: value, ...(login ? { login } : {}) };
  return { login: value };
}

export function seconds(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value} (e.g. 900, 15m, 2h, 7d)`);
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as Record<string, number>)[m[2] ?? '']!;
}
