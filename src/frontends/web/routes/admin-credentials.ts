/** Admin API: users' application passwords, and service accounts. */
import type { FastifyInstance } from 'fastify';
import { adminRoute, assertMayManage } from '../admin-route.js';
import { actorOf } from '../principal.js';
import { publicAppPassword, publicServiceAccount } from '../public.js';
import { appPasswordBody, arrayOf, createdAppPassword, errorBody, idParams, newAppPassword, okBody, password, serviceAccountBody } from '../schemas.js';
import type { WebState } from '../state.js';

const loginParams = idParams('login', 320);
const appPasswordParams = { type: 'object', required: ['login', 'id'], properties: { login: { type: 'string', maxLength: 320 }, id: { type: 'string', maxLength: 128 } } } as const;

export function registerAdminCredentials(scope: FastifyInstance, state: WebState): void {
  const { app } = state;
  const tag = 'app-passwords';

  adminRoute(scope, state, {
    method: 'GET', url: '/users/:login/app-passwords', role: 'auditor', tag, summary: "A user's application passwords (never the secrets)",
    schema: { params: loginParams, response: { 200: arrayOf(appPasswordBody) } },
    handler: async (request) => (await app.identity.listAppPasswords((request.params as { login: string }).login)).map(publicAppPassword),
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/users/:login/app-passwords', role: 'helpdesk', tag, summary: 'Create an application password for a user; the secret is in this answer only',
    schema: { params: loginParams, body: newAppPassword, response: { 201: createdAppPassword, 409: errorBody } },
    handler: async (request, reply) => {
      const target = await app.identity.requireUser((request.params as { login: string }).login);
      assertMayManage(request, target);
      const body = request.body as { name: string; scopes: string[]; expiresInDays?: number | null };
      const expiresAt = body.expiresInDays ? new Date(state.options.now() + body.expiresInDays * 86_400_000) : null;
      const created = await app.identity.createAppPassword(target.login, { name: body.name, scopes: body.scopes, expiresAt }, actorOf(request, 'admin'));
      return reply.code(201).send({ appPassword: publicAppPassword(created.appPassword), secret: created.secret });
    },
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/users/:login/app-passwords/:id', role: 'helpdesk', tag, summary: 'Revoke an application password',
    schema: { params: appPasswordParams, response: { 200: okBody } },
    handler: async (request) => {
      const { login, id } = request.params as { login: string; id: string };
      const target = await app.identity.requireUser(login);
      assertMayManage(request, target);
      await app.identity.revokeAppPassword(target.login, id, actorOf(request, 'admin'));
      return { ok: true };
    },
  });

  const sa = 'service-accounts';
  adminRoute(scope, state, {
    method: 'GET', url: '/service-accounts', role: 'auditor', tag: sa, summary: 'Service accounts (directory readers, master users)',
    schema: { response: { 200: arrayOf(serviceAccountBody) } },
    handler: async () => (await app.store.listServiceAccounts()).map(publicServiceAccount),
  });

  adminRoute(scope, state, {
    method: 'POST', url: '/service-accounts', role: 'admin', tag: sa, summary: 'Create a service account',
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'password', 'roles'],
        properties: { name: { type: 'string', maxLength: 64 }, password, roles: { type: 'array', maxItems: 8, items: { type: 'string', enum: ['directory-read', 'impersonate'] } }, description: { type: 'string', maxLength: 1024 } },
      },
      response: { 201: serviceAccountBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const account = await app.identity.addServiceAccount(request.body as { name: string; password: string; roles: string[] }, actorOf(request, 'admin'));
      return reply.code(201).send(publicServiceAccount(account));
    },
  });

  adminRoute(scope, state, {
    method: 'DELETE', url: '/service-accounts/:name', role: 'admin', tag: sa, summary: 'Delete a service account',
    schema: { params: idParams('name', 64), response: { 200: okBody } },
    handler: async (request) => {
      await app.identity.deleteServiceAccount((request.params as { name: string }).name, actorOf(request, 'admin'));
      return { ok: true };
    },
  });
}
