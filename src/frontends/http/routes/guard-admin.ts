/**
 * The guard's admin operations for machine callers and the CLI: API key with the `admin` endpoint
 * group (or loopback in keyless mode). The admin web UI has its own session/token-based API under
 * /api/admin/v1/guard; both only translate to GuardAdmin calls, and both write the audit log.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../../app.js';
import type { GuardAdmin } from '../../../guard/admin.js';
import type { EntryTarget, ListEntry } from '../../../guard/state/state.js';
import { requireCaller } from '../callers.js';
import { HttpError } from '../errors.js';
import { normalizeIp } from '../net.js';
import type { RouteModule } from './context.js';
import { asBadRequest } from './weakforced-lists.js';

const MAX_TTL = 365 * 86_400;
const target = {
  ip: z.string().max(64).optional(),
  cidr: z.string().max(64).optional(),
  login: z.string().max(320).optional(),
};
const addBody = z.strictObject({ ...target, ttlSeconds: z.number().int().min(0).max(MAX_TTL).optional(), reason: z.string().max(256).optional() });
const removeBody = z.union([z.strictObject({ id: z.string().min(1).max(600) }), z.strictObject(target)]);
const explainQuery = z.strictObject({ query: z.string().min(1).max(320), login: z.string().max(320).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, expected: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid-body', `expected ${expected}`);
  return parsed.data;
}

function adminOf(app: App): GuardAdmin {
  if (!app.guardAdmin) throw new HttpError(503, 'guard-disabled', 'attack detection is not running here');
  return app.guardAdmin;
}

export function publicEntry(e: ListEntry) {
  return { ...e, createdAt: new Date(e.createdAt).toISOString(), expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt).toISOString() };
}

function targetText(t: EntryTarget): string {
  return t.kind === 'ip' ? `ip:${t.ip}` : t.kind === 'cidr' ? `cidr:${t.cidr}` : t.kind === 'login' ? `login:${t.login}` : `iplogin:${t.ip}|${t.login}`;
}

async function audit(app: App, request: FastifyRequest, action: string, entry: ListEntry, detail: Record<string, unknown>): Promise<void> {
  await app.store.appendAudit({ actor: `api:${request.caller ?? 'unknown'}`, source: normalizeIp(request.socket.remoteAddress) ?? 'unknown', action, target: targetText(entry.target), detail });
}

export const guardAdminRoutes: RouteModule = {
  name: 'guard-admin',
  register(http, { app, callers }) {
    const preHandler = requireCaller(callers, { endpoints: ['admin'] });
    const base = '/api/v1/guard';

    for (const [path, list] of [['bans', 'ban'], ['allows', 'allow']] as const) {
      http.get(`${base}/${path}`, { preHandler }, async () => {
        const admin = adminOf(app);
        return (list === 'ban' ? admin.listBans() : admin.listAllows()).map(publicEntry);
      });

      http.post(`${base}/${path}`, { preHandler }, async (request, reply) => {
        const body = parse(addBody, request.body, '{"ip"|"cidr"|"login": "...", "ttlSeconds": N, "reason": "..."}');
        const admin = adminOf(app);
        const entry = await asBadRequest(() =>
          list === 'ban' ? admin.addBan({ ...body, ttlSeconds: body.ttlSeconds ?? 0, rule: 'admin' }) : admin.addAllow(body),
        );
        await audit(app, request, list === 'ban' ? 'guard.ban' : 'guard.allow', entry, { ttlSeconds: body.ttlSeconds ?? 0, reason: body.reason ?? '' });
        return reply.code(201).send(publicEntry(entry));
      });

      http.delete(`${base}/${path}`, { preHandler }, async (request) => {
        const body = parse(removeBody, request.body, '{"id": "..."} or {"ip"|"cidr"|"login": "..."}');
        const admin = adminOf(app);
        const removed = await asBadRequest(() => (list === 'ban' ? admin.removeBan(body) : admin.removeAllow(body)));
        for (const entry of removed) await audit(app, request, list === 'ban' ? 'guard.unban' : 'guard.unallow', entry, {});
        return { removed: removed.map(publicEntry) };
      });
    }

    http.get(`${base}/explain`, { preHandler }, async (request) => {
      const q = parse(explainQuery, request.query, 'query parameters query=<ip|login> and optionally login=<login>');
      const e = await adminOf(app).explain(q.query, q.login);
      return { ...e, bans: e.bans.map(publicEntry), allows: e.allows.map(publicEntry) };
    });

    http.get(`${base}/stats`, { preHandler }, async () => adminOf(app).stats());
  },
};
