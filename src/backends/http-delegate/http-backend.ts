/**
 * Delegates verification to a customer's HTTP service: POST a signed JSON request, read a JSON
 * answer. Request: {mode, login, password?, protocol, client_ip, tls, front_end, user_agent,
 * timestamp}. Answer: {"ok":true,"account":{login, mail, ...}} or {"ok":false[, "reason"]}.
 * A non-2xx status, a body that is not such JSON, or no answer in time is thrown: the adapter
 * makes it a temporary failure, never a wrong password.
 */
import type { HttpUpstreamConfig } from '../../config/sections/backends.js';
import type { BackendAccount, CustomerBackend, VerifyContext, VerifyResult } from '../api.js';
import { GarbledAnswerError, parseLookupResult, parseVerifyResult } from '../adapter/account.js';
import { sign } from './signature.js';

const MAX_ANSWER_BYTES = 256 * 1024;

export class HttpDelegate implements CustomerBackend {
  constructor(private readonly c: HttpUpstreamConfig) {}

  async verify(login: string, password: string, ctx: VerifyContext): Promise<VerifyResult> {
    const answer = await this.post(
      {
        mode: 'authenticate',
        login,
        password,
        protocol: ctx.protocol,
        client_ip: ctx.clientIp,
        tls: ctx.tls,
        front_end: ctx.frontEnd,
        ...(ctx.userAgent ? { user_agent: ctx.userAgent } : {}),
      },
      ctx.signal,
    );
    return parseVerifyResult(answer);
  }

  /** Only when the service answers look-ups (config `lookup: true`); then {"ok":false} means unknown. */
  get lookup(): ((login: string, ctx: { signal: AbortSignal }) => Promise<BackendAccount | null>) | undefined {
    if (!this.c.lookup) return undefined;
    return async (login, ctx) => {
      const answer = await this.post({ mode: 'lookup', login }, ctx.signal);
      if (isObject(answer) && answer.ok === false) return null;
      if (!isObject(answer) || answer.ok !== true) throw new GarbledAnswerError('lookup', 'expected {"ok":true,"account":{...}} or {"ok":false}');
      return parseLookupResult(answer.account);
    };
  }

  private async post(fields: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const body = JSON.stringify({ ...fields, timestamp: Math.floor(Date.now() / 1000) });
    const response = await fetch(this.c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [this.c.signatureHeader]: sign(this.c.secret, body) },
      body,
      signal,
      redirect: 'error',
    });
    const text = await readCapped(response, signal);
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(this.c.url).host}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GarbledAnswerError('HTTP', `not JSON (${text.length} bytes)`);
    }
  }
}

/** Reads at most MAX_ANSWER_BYTES: a misbehaving service cannot make us buffer without end. */
async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new GarbledAnswerError('HTTP', `answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
