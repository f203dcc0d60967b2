/** Admin API: groups, their members and aliases, and mail domains. */
import type { FastifyInstance } from 'fastify';
import { adminRoute } from '../admin-route.js';
import { actorOf } from '../principal.js';
import { publicGroup } from '../public.js';
import { arrayOf, errorBody, groupBody, idParams, okBody, pageOf, pageQuery } from '../schemas.js';
import type { WebState } from '../state.js';

const nameParams = idParams('name', 320);
const memberParams = { type: 'object', required: ['name', 'login'], properties: { name: { type: 'string', maxLength: 320 }, login: { type: 'string', maxLength: 320 } } } as const;
const address = { type: 'string', maxLength: 320, minLength: 3 } as const;

export function registerAdminGroups(scope: FastifyInstance, state: WebState): void {
  const { app } = state;
  const tag = 'groups';

  adminRoute(scope, state, {
    method: 'GET', url: '/groups', role: 'auditor', tag, summary: 'List groups (q: substring of name or mail)',
    schema: { querystring: pageQuery, response: { 200: pageOf(groupBody) } },
    handler: async (request) => {
      const q = request.query as { q?: string; offset: number; limit: number };
      const groups = await app.store.listGroups({ offset: q.offset, limit: q.limit, ...(q.q ? { query: q.q } : {}) });
      return { items: groups.map((g) => publicGroup(g)), offset: q.offset, limit: q.limit };
    },
  });

  adminRoute(scope, state, {
    method: 'GET', url: '/groups/:name', role: 'auditor', tag, summary: 'One group with its members',
    schema: { params: nameParams, response: { 200: groupBody } },
    handler: async (request) => {
      const group = await app.identity.requireGroup((request.params as { name: string }).name);
      return publicGroup(group, (await app.store.listMembers(group.id)).map((u) => u.login));
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/groups', role: 'admin', tag, summary: 'Create a group',
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: { name: { type: 'string', maxLength: 64 }, mail: { type: ['string', 'null'], maxLength: 320 }, description: { type: 'string', maxLength: 1024 }, aliases: { type: 'array', maxItems: 64, items: address } },
      },
      response: { 201: groupBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const group = await app.identity.addGroup(request.body as { name: string }, actorOf(request, 'admin'));
      return reply.code(201).send(publicGroup(group, []));
    },
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/groups/:name', role: 'admin', tag, summary: 'Delete a group',
    schema: { params: nameParams, response: { 200: okBody } },
    handler: async (request) => {
      await app.identity.deleteGroup((request.params as { name: string }).name, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  for (const [method, member] of [['PUT', true], ['DELETE', false]] as const) {
    adminRoute(scope, state, {
      method, url: '/groups/:name/members/:login', role: 'admin', tag, summary: member ? 'Add a member' : 'Remove a member',
      schema: { params: memberParams, response: { 200: okBody } },
      handler: async (request) => {
        const { name, login } = request.params as { name: string; login: string };
        await app.identity.setMembership(name, login, member, actorOf(request, 'admin'));
        return { ok: true };
      },
    });
  }

  adminRoute(scope, state, {
    method: 'POST', url: '/groups/:name/aliases', role: 'admin', tag: 'aliases', summary: 'Add an alias address to a group',
    schema: { params: nameParams, body: { type: 'object', additionalProperties: false, required: ['alias'], properties: { alias: address } }, response: { 200: okBody, 409: errorBody } },
    handler: async (request) => {
      await app.identity.addAlias({ group: (request.params as { name: string }).name }, (request.body as { alias: string }).alias, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  const domainBody = { type: 'object', properties: { name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' } } } as const;
  adminRoute(scope, state, {
    method: 'GET', url: '/domains', role: 'auditor', tag: 'domains', summary: 'Mail domains',
    schema: { response: { 200: arrayOf(domainBody) } },
    handler: async () => (await app.store.listDomains()).map((d) => ({ name: d.name, createdAt: d.createdAt.toISOString() })),
  });
  adminRoute(scope, state, {
    method: 'POST', url: '/domains', role: 'admin', tag: 'domains', summary: 'Add a mail domain',
    schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', maxLength: 253 } } }, response: { 200: okBody, 409: errorBody } },
    handler: async (request) => {
      await app.identity.addDomain((request.body as { name: string }).name, actorOf(request, 'admin'));
      return { ok: true };
    },
  });
  adminRoute(scope, state, {
    method: 'DELETE', url: '/domains/:name', role: 'admin', tag: 'domains', summary: 'Remove a mail domain no one uses',
    schema: { params: idParams('name', 253), response: { 200: okBody, 409: errorBody } },
    handler: async (request) => {
      await app.identity.removeDomain((request.params as { name: string }).name, actorOf(request, 'admin'));
      return { ok: true };
    },
  });
}
