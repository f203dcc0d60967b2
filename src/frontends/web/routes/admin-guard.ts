/** Admin API: bans and allow-lists through the guard's own operations, and "explain this address". */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GuardAdmin, TargetInput } from '../../../guard/admin.js';
import type { EntryTarget } from '../../../guard/state/state.js';
import { HttpError } from '../../http/errors.js';
import { adminRoute } from '../admin-route.js';
import { actorOf } from '../principal.js';
import { publicEntry } from '../public.js';
import { arrayOf, idParams, listEntryBody, okBody } from '../schemas.js';
import type { WebState } from '../state.js';

const target = {
  ip: { type: 'string', maxLength: 64 },
  cidr: { type: 'string', maxLength: 64 },
  login: { type: 'string', maxLength: 320 },
} as const;
const reason = { type: 'string', maxLength: 256 } as const;

function targetText(t: EntryTarget): string {
  switch (t.kind) {
    case 'ip':
      return `ip:${t.ip}`;
    case 'cidr':
      return `cidr:${t.cidr}`;
    case 'login':
      return `login:${t.login}`;
    case 'iplogin':
      return `iplogin:${t.ip}|${t.login}`;
  }
}

export function registerAdminGuard(scope: FastifyInstance, state: WebState): void {
  const tag = 'guard';
  const guard = (): GuardAdmin => {
    if (!state.guardAdmin) throw new HttpError(503, 'guard-disabled', 'attack detection is not running, so there are no bans or allow-lists');
    return state.guardAdmin;
  };
  const audit = async (request: FastifyRequest, action: string, t: EntryTarget, detail: Record<string, unknown>) => {
    await state.app.store.appendAudit({ ...actorOf(request, 'admin'), action, target: targetText(t), detail });
  };

  for (const list of ['bans', 'allows'] as const) {
    adminRoute(scope, state, {
      method: 'GET', url: `/guard/${list}`, role: 'auditor', tag, summary: list === 'bans' ? 'Active bans' : 'Allow-list entries',
      schema: { response: { 200: arrayOf(listEntryBody) } },
      handler: async () => (list === 'bans' ? guard().listBans() : guard().listAllows()).map(publicEntry),
    });
  }

  adminRoute(scope, state, {
    method: 'POST', url: '/guard/bans', role: 'admin', tag, summary: 'Ban an address, a network or an address+login (never a login alone)',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['ttlSeconds'], properties: { ...target, ttlSeconds: { type: 'integer', minimum: 0, maximum: 365 * 86_400, description: '0: until lifted' }, reason } },
      response: { 201: listEntryBody },
    },
    handler: async (request, reply) => {
      const body = request.body as TargetInput & { ttlSeconds: number; reason?: string };
      const entry = await guard().addBan({ ...body, rule: 'admin' });
      await audit(request, 'guard.ban', entry.target, { ttlSeconds: body.ttlSeconds, reason: body.reason ?? '' });
      return reply.code(201).send(publicEntry(entry));
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/guard/allows', role: 'admin', tag, summary: 'Allow-list an address, network or login: it bypasses every rule and ban',
    schema: {
      body: { type: 'object', additionalProperties: false, properties: { ...target, ttlSeconds: { type: 'integer', minimum: 0, maximum: 365 * 86_400 }, reason } },
      response: { 201: listEntryBody },
    },
    handler: async (request, reply) => {
      const body = request.body as TargetInput & { ttlSeconds?: number; reason?: string };
      const entry = await guard().addAllow(body);
      await audit(request, 'guard.allow', entry.target, { ttlSeconds: body.ttlSeconds ?? 0, reason: body.reason ?? '' });
      return reply.code(201).send(publicEntry(entry));
    },
  });

  for (const list of ['bans', 'allows'] as const) {
    adminRoute(scope, state, {
      method: 'DELETE', url: `/guard/${list}/:id`, role: 'admin', tag, summary: list === 'bans' ? 'Lift a ban' : 'Remove an allow-list entry',
      schema: { params: idParams('id', 400), response: { 200: okBody } },
      handler: async (request) => {
        const { id } = request.params as { id: string };
        const removed = list === 'bans' ? await guard().removeBan({ id }) : await guard().removeAllow({ id });
        const entry = removed[0];
        if (!entry) throw new HttpError(404, 'not-found', 'no such entry (it may have expired)');
        await audit(request, list === 'bans' ? 'guard.unban' : 'guard.unallow', entry.target, {});
        return { ok: true };
      },
    });
  }

  adminRoute(scope, state, {
    method: 'GET', url: '/guard/explain', role: 'auditor', tag, summary: 'Why an address or account is (not) slowed or banned: every rule, count and entry',
    schema: { querystring: { type: 'object', additionalProperties: false, required: ['query'], properties: { query: { type: 'string', minLength: 1, maxLength: 320 }, login: { type: 'string', maxLength: 320 } } } },
    handler: async (request) => {
      const q = request.query as { query: string; login?: string };
      const explanation = await guard().explain(q.query, q.login);
      return { ...explanation, bans: explanation.bans.map(publicEntry), allows: explanation.allows.map(publicEntry) };
    },
  });
}
