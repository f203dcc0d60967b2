/**
 * How an admin API route is declared: its minimum role sits in the route's config (the OpenAPI
 * document shows it) and the same value drives the preHandler, so the two cannot disagree.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import type { User } from '../../identity/model.js';
import { HttpError } from '../http/errors.js';
import { requireRole, type Principal } from './principal.js';
import { mayManageCredentials, type AdminRole } from './roles.js';
import { authErrors } from './schemas.js';
import type { WebState } from './state.js';

export const ADMIN_BASE = '/api/admin/v1';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least admin role a route needs (admin API only). */
    role?: AdminRole;
  }
}

export interface AdminRouteDef {
  method: HTTPMethods;
  url: string;
  role: AdminRole;
  tag: string;
  summary: string;
  schema?: Omit<FastifySchema, 'summary' | 'tags'>;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

export function adminRoute(scope: FastifyInstance, state: WebState, def: AdminRouteDef): void {
  scope.route({
    method: def.method,
    url: ADMIN_BASE + def.url,
    config: { role: def.role },
    schema: { ...def.schema, tags: [def.tag], summary: def.summary, response: { ...authErrors, ...(def.schema?.response as object | undefined) } },
    preHandler: requireRole(state, def.role),
    handler: def.handler,
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'login-required', 'please log in');
  return request.principal;
}

/** Helpdesk may manage ordinary users' credentials only; admins anyone's. */
export function assertMayManage(request: FastifyRequest, target: User): void {
  if (!mayManageCredentials(principalOf(request).role, target.roles)) {
    throw new HttpError(403, 'forbidden', `only an admin may change the credentials of ${target.login}, who holds an admin role`);
  }
}
