/** Runs wrk (Debian package `wrk`) with a Lua request script and parses requests/s and latency percentiles. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Requests completed over the whole run. */
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: string;
}

export function haveWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

const lua = (s: string): string => JSON.stringify(s); // a JSON string is a valid Lua string literal for ASCII

function script(req: LoadRequest): string {
  const lines = [`wrk.method = ${lua(req.method)}`, `wrk.path = ${lua(req.path)}`];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  if (req.body !== undefined) lines.push(`wrk.body = ${lua(req.body)}`);
  return lines.join('\n') + '\n';
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

export function runWrk(port: number, req: LoadRequest, o: { connections: number; seconds: number; threads: number }): LoadResult {
  const file = join(mkdtempSync(join(tmpdir(), 'portcullis-wrk-')), 'req.lua');
  writeFileSync(file, script(req));
  const out = execFileSync('wrk', ['-t', String(o.threads), '-c', String(o.connections), '-d', `${o.seconds}s`, '--latency', '-s', file, `http://127.0.0.1:${port}`], { encoding: 'utf8' });
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:.*$/m.exec(out)?.[0] ?? '';
  return { requests, requestsPerSecond: rps, p50Ms: p50, p99Ms: p99, non2xx, errors };
}
