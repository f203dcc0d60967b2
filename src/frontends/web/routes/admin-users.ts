/** Admin API: users, their aliases, passwords, enabled state and recent logins. */
import type { FastifyInstance } from 'fastify';
import { adminRoute, assertMayManage, principalOf } from '../admin-route.js';
import { actorOf } from '../principal.js';
import { publicLogin, publicUser } from '../public.js';
import { arrayOf, displayName, errorBody, idParams, loginRecordBody, okBody, pageOf, pageQuery, password, userBody } from '../schemas.js';
import type { WebState } from '../state.js';
import { HttpError } from '../../http/errors.js';

const loginParams = idParams('login', 320);
const roles = { type: 'array', maxItems: 32, items: { type: 'string', maxLength: 64 } } as const;
const address = { type: 'string', maxLength: 320, minLength: 3 } as const;

export function registerAdminUsers(scope: FastifyInstance, state: WebState): void {
  const { app } = state;
  const tag = 'users';

  adminRoute(scope, state, {
    method: 'GET', url: '/users', role: 'auditor', tag, summary: 'List users (q: substring of login, mail or name)',
    schema: { querystring: { ...pageQuery, properties: { ...pageQuery.properties, domain: { type: 'string', maxLength: 253 } } }, response: { 200: pageOf(userBody) } },
    handler: async (request) => {
      const q = request.query as { q?: string; offset: number; limit: number; domain?: string };
      const page = { offset: q.offset, limit: q.limit, ...(q.q ? { query: q.q } : {}), ...(q.domain ? { domain: q.domain } : {}) };
      const [users, total] = await Promise.all([app.store.listUsers(page), app.store.countUsers(page)]);
      return { items: users.map((u) => publicUser(u)), total, offset: q.offset, limit: q.limit };
    },
  });

  adminRoute(scope, state, {
    method: 'GET', url: '/users/:login', role: 'auditor', tag, summary: 'One user, by login, mail or alias',
    schema: { params: loginParams, response: { 200: userBody } },
    handler: async (request) => {
      const user = await app.identity.requireUser((request.params as { login: string }).login);
      return publicUser(user, (await app.store.groupsOfUser(user.id)).map((g) => g.name));
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/users', role: 'admin', tag, summary: 'Create a user',
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['mail'],
        properties: { mail: address, login: { type: 'string', maxLength: 64 }, displayName, password, roles, aliases: { type: 'array', maxItems: 64, items: address }, enabled: { type: 'boolean' } },
      },
      response: { 201: userBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const user = await app.identity.addUser(request.body as Parameters<typeof app.identity.addUser>[0], actorOf(request, 'admin'));
      return reply.code(201).send(publicUser(user, []));
    },
  });

  adminRoute(scope, state, {
    method: 'PATCH', url: '/users/:login', role: 'admin', tag, summary: 'Change display name, primary mail or roles',
    schema: {
      params: loginParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { displayName, mail: address, roles } },
      response: { 200: userBody, 409: errorBody },
    },
    handler: async (request) => {
      const user = await app.identity.updateUser((request.params as { login: string }).login, request.body as { displayName?: string; mail?: string; roles?: string[] }, actorOf(request, 'admin'));
      return publicUser(user);
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/users/:login/password', role: 'helpdesk', tag, summary: "Set a user's password (ends the user's web sessions)",
    schema: { params: loginParams, body: { type: 'object', additionalProperties: false, required: ['password'], properties: { password } }, response: { 200: okBody } },
    handler: async (request) => {
      const target = await app.identity.requireUser((request.params as { login: string }).login);
      assertMayManage(request, target);
      await app.identity.setPassword(target.login, (request.body as { password: string }).password, actorOf(request, 'admin'));
      await state.sessions.endOthers(target.id);
      return { ok: true };
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/users/:login/enabled', role: 'helpdesk', tag, summary: 'Enable or disable a user (disabling ends the web sessions)',
    schema: { params: loginParams, body: { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } }, response: { 200: userBody } },
    handler: async (request) => {
      const target = await app.identity.requireUser((request.params as { login: string }).login);
      assertMayManage(request, target);
      const { enabled } = request.body as { enabled: boolean };
      if (!enabled && target.id === principalOf(request).user.id) throw new HttpError(400, 'invalid-input', 'you cannot disable your own account');
      const user = await app.identity.setEnabled(target.login, enabled, actorOf(request, 'admin'));
      if (!enabled) await state.sessions.endOthers(user.id);
      return publicUser(user);
    },
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/users/:login', role: 'admin', tag, summary: 'Delete a user with its app passwords, memberships and sessions',
    schema: { params: loginParams, response: { 200: okBody } },
    handler: async (request) => {
      const target = await app.identity.requireUser((request.params as { login: string }).login);
      if (target.id === principalOf(request).user.id) throw new HttpError(400, 'invalid-input', 'you cannot delete your own account');
      await app.identity.deleteUser(target.login, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/users/:login/aliases', role: 'admin', tag: 'aliases', summary: 'Add an alias address to a user',
    schema: { params: loginParams, body: { type: 'object', additionalProperties: false, required: ['alias'], properties: { alias: address } }, response: { 200: okBody, 409: errorBody } },
    handler: async (request) => {
      await app.identity.addAlias({ user: (request.params as { login: string }).login }, (request.body as { alias: string }).alias, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/aliases/:address', role: 'admin', tag: 'aliases', summary: "Remove an alias (a user's or a group's)",
    schema: { params: idParams('address', 320), response: { 200: okBody } },
    handler: async (request) => {
      await app.identity.removeAlias((request.params as { address: string }).address, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  adminRoute(scope, state, {
    method: 'GET', url: '/users/:login/logins', role: 'auditor', tag, summary: "A user's recent logins, newest first",
    schema: { params: loginParams, response: { 200: arrayOf(loginRecordBody) } },
    handler: async (request) => {
      const user = await app.identity.requireUser((request.params as { login: string }).login);
      await state.history.flush();
      return (await state.web.listLogins(user.id, 100)).map(publicLogin);
    },
  });
}
