/** The self-service API: the account, its recent logins, its app passwords and its password. */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../http/errors.js';
import { actorOf, clientIp, requireSession, type Principal } from '../principal.js';
import { publicAppPassword, publicLogin, publicUser } from '../public.js';
import { appPasswordBody, arrayOf, authErrors, createdAppPassword, errorBody, idParams, loginRecordBody, newAppPassword, okBody, password, userBody } from '../schemas.js';
import type { WebState } from '../state.js';
import { verifyPrimaryPassword } from '../web-login.js';
import { sessionView } from './session.js';

const BASE = '/api/self/v1';

function me(principal: Principal | null): Principal {
  if (!principal) throw new HttpError(401, 'login-required', 'please log in');
  return principal;
}

export function registerSelfRoutes(scope: FastifyInstance, state: WebState): void {
  const { app } = state;
  const preHandler = requireSession(state);
  const tags = ['self-service'];

  scope.get(`${BASE}/me`, { preHandler, schema: { tags, summary: 'My account', response: { 200: userBody, ...authErrors } } }, async (request) => {
    const { user } = me(request.principal);
    return publicUser(user, (await app.store.groupsOfUser(user.id)).map((g) => g.name));
  });

  scope.get(
    `${BASE}/logins`,
    {
      preHandler,
      schema: {
        tags,
        summary: 'Recent logins of my account, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
        response: { 200: arrayOf(loginRecordBody), ...authErrors },
      },
    },
    async (request) => {
      const { limit } = request.query as { limit: number };
      await state.history.flush();
      return (await state.web.listLogins(me(request.principal).user.id, limit)).map(publicLogin);
    },
  );

  scope.get(`${BASE}/app-passwords`, { preHandler, schema: { tags, summary: 'My application passwords', response: { 200: arrayOf(appPasswordBody), ...authErrors } } }, async (request) => {
    return (await app.store.listAppPasswords(me(request.principal).user.id)).map(publicAppPassword);
  });

  scope.post(
    `${BASE}/app-passwords`,
    { preHandler, schema: { tags, summary: 'Create an application password; the secret is in this answer only', body: newAppPassword, response: { 201: createdAppPassword, ...authErrors, 409: errorBody } } },
    async (request, reply) => {
      const body = request.body as { name: string; scopes: string[]; expiresInDays?: number | null };
      const expiresAt = body.expiresInDays ? new Date(state.options.now() + body.expiresInDays * 86_400_000) : null;
      const { user } = me(request.principal);
      const created = await app.identity.createAppPassword(user.login, { name: body.name, scopes: body.scopes, expiresAt }, actorOf(request, 'self'));
      return reply.code(201).send({ appPassword: publicAppPassword(created.appPassword), secret: created.secret });
    },
  );

  scope.delete(`${BASE}/app-passwords/:id`, { preHandler, schema: { tags, summary: 'Revoke one of my application passwords', params: idParams('id'), response: { 200: okBody, ...authErrors } } }, async (request) => {
    const { id } = request.params as { id: string };
    await app.identity.revokeAppPassword(me(request.principal).user.login, id, actorOf(request, 'self'));
    return { ok: true };
  });

  scope.post(
    `${BASE}/password`,
    {
      preHandler,
      schema: {
        tags,
        summary: 'Change my password (the current one is checked through the pipeline); ends my other sessions',
        body: { type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'], properties: { currentPassword: password, newPassword: password, _csrf: { type: 'string', maxLength: 128 } } },
        response: { ...authErrors, 429: errorBody },
      },
    },
    async (request, reply) => {
      const principal = me(request.principal);
      const body = request.body as { currentPassword: string; newPassword: string };
      try {
        await verifyPrimaryPassword(state, request, reply, principal.user.login, body.currentPassword);
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 401) throw new HttpError(403, 'wrong-password', 'the current password is not right');
        throw err;
      }
      const updated = await app.identity.setPassword(principal.user.login, body.newPassword, actorOf(request, 'self'));
      // Every session of the account ends, this one too; this browser gets a fresh one at once.
      await state.sessions.endOthers(updated.id);
      const ua = request.headers['user-agent'];
      const { cookieValue, session } = await state.sessions.create(updated, { clientIp: clientIp(request), userAgent: typeof ua === 'string' ? ua : null });
      state.cookies.setSession(request, reply, cookieValue);
      return sessionView(state, updated, session);
    },
  );
}
