/** Login, logout and "who am I" for the admin UI and the self-service page (one session for both). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../../identity/model.js';
import type { WebSession } from '../../../store/web-store.js';
import { HttpError } from '../../http/errors.js';
import { crossSite, presentedCsrf, sameToken } from '../csrf.js';
import { clientIp, requireSession } from '../principal.js';
import { adminRoleOf } from '../roles.js';
import { errorBody, login, okBody, password } from '../schemas.js';
import type { WebState } from '../state.js';
import { verifyPrimaryPassword } from '../web-login.js';

const sessionBody = {
  type: 'object',
  properties: {
    user: {
      type: 'object',
      properties: { login: { type: 'string' }, mail: { type: 'string' }, displayName: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } },
    },
    adminRole: { type: ['string', 'null'] },
    csrf: { type: 'string', description: 'send as X-CSRF-Token on every state-changing request' },
    expiresAt: { type: 'string', format: 'date-time' },
    idleTimeoutSeconds: { type: 'integer' },
  },
} as const;

export function sessionView(state: WebState, user: User, session: WebSession) {
  return {
    user: { login: user.login, mail: user.mail, displayName: user.displayName, roles: user.roles },
    adminRole: adminRoleOf(user.roles),
    csrf: session.csrf,
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutSeconds: state.options.idleTimeoutSeconds,
  };
}

export function registerSessionRoutes(scope: FastifyInstance, state: WebState): void {
  const tags = ['session'];

  scope.get('/api/web/v1/login-token', { schema: { tags, summary: 'A CSRF token for the login form (sets a short-lived cookie)', response: { 200: { type: 'object', properties: { csrf: { type: 'string' } } } } } }, async (request, reply) => {
    const { nonce, token } = state.loginCsrf.issue();
    state.cookies.setLoginNonce(request, reply, nonce);
    return { csrf: token };
  });

  scope.post(
    '/api/web/v1/login',
    {
      schema: {
        tags,
        summary: 'Log in with the primary password (app passwords are refused); sets the session cookie',
        body: { type: 'object', additionalProperties: false, required: ['login', 'password'], properties: { login, password, _csrf: { type: 'string', maxLength: 128 } } },
        response: { 200: sessionBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      if (crossSite(request) || !state.loginCsrf.verify(state.cookies.loginNonce(request), presentedCsrf(request))) {
        throw new HttpError(403, 'csrf-failed', 'the login form is out of date; reload the page and try again');
      }
      const body = request.body as { login: string; password: string };
      const user = await verifyPrimaryPassword(state, request, reply, body.login, body.password);
      const ua = request.headers['user-agent'];
      const { cookieValue, session } = await state.sessions.create(user, { clientIp: clientIp(request), userAgent: typeof ua === 'string' ? ua : null });
      state.cookies.setSession(request, reply, cookieValue);
      state.cookies.clearLoginNonce(request, reply);
      return sessionView(state, user, session);
    },
  );

  scope.get('/api/web/v1/session', { schema: { tags, summary: 'The current session, with its CSRF token', response: { 200: sessionBody, 401: errorBody } }, preHandler: requireSession(state) }, async (request) => {
    const p = request.principal;
    if (!p?.session) throw new HttpError(401, 'login-required', 'please log in');
    return sessionView(state, p.user, p.session);
  });

  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = await state.sessions.lookup(state.cookies.sessionValue(request));
    if (found.status === 'ok') {
      // A forged logout is still a forgery: only this site's pages can end a session.
      if (crossSite(request) || !sameToken(presentedCsrf(request), found.live.session.csrf)) {
        throw new HttpError(403, 'csrf-failed', 'the form is out of date or was not sent by this site; reload the page and try again');
      }
      await state.sessions.destroy(found.live.session.id);
    }
    state.cookies.clearSession(request, reply);
    const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    // Only two fixed places to go back to: never a URL from the request (no open redirect).
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    const back = body['next'] === 'admin' ? '/admin/' : '/self/';
    return isForm ? reply.redirect(back, 303) : { ok: true };
  };
  scope.post('/api/web/v1/logout', { schema: { tags, summary: 'End the session (JSON or a form with _csrf)', response: { 200: okBody, 403: errorBody } } }, logout);
}
