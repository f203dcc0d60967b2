/** Admin API: the audit log, newest first, filtered by actor, action, target, text and time. */
import type { FastifyInstance } from 'fastify';
import type { AuditFilter } from '../../../store/store.js';
import { adminRoute } from '../admin-route.js';
import { publicAudit } from '../public.js';
import { auditBody, pageOf, pageQuery } from '../schemas.js';
import type { WebState } from '../state.js';

export function registerAdminAudit(scope: FastifyInstance, state: WebState): void {
  adminRoute(scope, state, {
    method: 'GET', url: '/audit', role: 'auditor', tag: 'audit', summary: 'The audit log (q: substring of actor or target)',
    schema: {
      querystring: {
        ...pageQuery,
        properties: {
          ...pageQuery.properties,
          actor: { type: 'string', maxLength: 320 },
          action: { type: 'string', maxLength: 64 },
          target: { type: 'string', maxLength: 400 },
          since: { type: 'string', format: 'date-time', maxLength: 40 },
        },
      },
      response: { 200: pageOf(auditBody) },
    },
    handler: async (request) => {
      const q = request.query as { q?: string; offset: number; limit: number; actor?: string; action?: string; target?: string; since?: string };
      const filter: AuditFilter = { offset: q.offset, limit: q.limit };
      if (q.q) filter.query = q.q;
      if (q.actor) filter.actor = q.actor;
      if (q.action) filter.action = q.action;
      if (q.target) filter.target = q.target;
      if (q.since) filter.since = new Date(q.since);
      return { items: (await state.app.store.listAudit(filter)).map(publicAudit), offset: q.offset, limit: q.limit };
    },
  });
}
