/**
 * Admin API: the dashboard's numbers, once (GET /stats) or live as Server-Sent Events
 * (GET /stats/stream), re-checking the caller's session on every tick so a stream ends with it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { adminRoute } from '../admin-route.js';
import { findLiveToken } from '../admin-tokens.js';
import { parseAuthorization } from '../../http/credentials.js';
import { publicEntry } from '../public.js';
import { CONTENT_SECURITY_POLICY } from '../security-headers.js';
import type { BucketData } from '../live-stats.js';
import type { WebState } from '../state.js';

const MAX_STREAM_MS = 10 * 60_000;
const windowQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { window: { type: 'integer', minimum: 60, maximum: 86_400, default: 900, description: 'seconds of history' } },
} as const;

export async function dashboard(state: WebState, windowSeconds: number) {
  const { processes } = state.app;
  const everyProcess = processes.alone ? undefined : (await processes.gather<BucketData[]>('live-stats', windowSeconds)).flat();
  const snapshot = state.stats.snapshot(windowSeconds, 10, everyProcess);
  const admin = state.guardAdmin;
  if (!admin) return { ...snapshot, guard: { enabled: false, activeBans: 0, bansByRule: {}, recentBans: [] } };
  const bans = admin.listBans();
  return {
    ...snapshot,
    guard: {
      enabled: true,
      activeBans: bans.length,
      bansByRule: admin.stats().bansByRule,
      recentBans: [...bans].sort((a, b) => b.createdAt - a.createdAt).slice(0, 10).map(publicEntry),
    },
  };
}

/** Whether the caller that opened the stream may still see it. */
async function stillAllowed(state: WebState, request: FastifyRequest): Promise<boolean> {
  const auth = parseAuthorization(request.headers.authorization);
  if (auth.kind === 'bearer') return (await findLiveToken(state.web, auth.token, state.options.now())) !== null;
  const found = await state.sessions.lookup(state.cookies.sessionValue(request));
  return found.status === 'ok' && found.live.user.roles.some((r) => r === 'admin' || r === 'helpdesk' || r === 'auditor');
}

export function registerAdminStats(scope: FastifyInstance, state: WebState): void {
  const streams = new Set<ServerResponse>();
  // Open streams would hold the server's close forever: end them first.
  scope.addHook('preClose', async () => {
    for (const raw of streams) raw.end();
  });

  adminRoute(scope, state, {
    method: 'GET', url: '/stats', role: 'auditor', tag: 'dashboard', summary: "This node's logins over time by protocol and outcome, top offenders, bans",
    schema: { querystring: windowQuery },
    handler: async (request) => dashboard(state, (request.query as { window: number }).window),
  });

  adminRoute(scope, state, {
    method: 'GET', url: '/stats/stream', role: 'auditor', tag: 'dashboard', summary: 'The same, as Server-Sent Events (one "stats" event per tick)',
    schema: { querystring: windowQuery },
    handler: async (request, reply) => {
      const windowSeconds = (request.query as { window: number }).window;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      streams.add(raw);
      const startedWall = Date.now();
      const send = async (): Promise<void> => {
        raw.write(`event: stats\ndata: ${JSON.stringify(await dashboard(state, windowSeconds))}\n\n`);
      };
      const tick = async (): Promise<void> => {
        if (Date.now() - startedWall > MAX_STREAM_MS || !(await stillAllowed(state, request))) {
          raw.write('event: end\ndata: {}\n\n');
          raw.end();
          return;
        }
        await send();
      };
      await send().catch(() => raw.end());
      const timer = setInterval(() => void tick().catch(() => raw.end()), state.options.streamIntervalMs);
      raw.on('close', () => {
        clearInterval(timer);
        streams.delete(raw);
      });
    },
  });
}
