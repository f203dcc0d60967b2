/**
 * Self-service: my signed-in browsers, ending one, and "sign out everywhere else". Sessions are
 * named by a handle derived from their id, so the page never holds anything a cookie is made of.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSession } from '../../../store/web-store.js';
import { HttpError } from '../../http/errors.js';
import { actorOf, requireSession, type Principal } from '../principal.js';
import { arrayOf, authErrors, idParams } from '../schemas.js';
import type { WebState } from '../state.js';

const BASE = '/api/self/v1/sessions';

const handleOf = (session: WebSession): string => createHash('sha256').update(`session-handle|${session.id}`).digest('base64url').slice(0, 22);

const sessionItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    current: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    lastSeenAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    clientIp: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
  },
} as const;

function me(principal: Principal | null): Principal & { session: WebSession } {
  if (!principal?.session) throw new HttpError(401, 'login-required', 'please log in');
  return principal as Principal & { session: WebSession };
}

export function registerSelfSessions(scope: FastifyInstance, state: WebState): void {
  const preHandler = requireSession(state);
  const tags = ['self-service'];
  const live = async (userId: string): Promise<WebSession[]> => {
    const now = state.options.now();
    const idleMs = state.options.idleTimeoutSeconds * 1000;
    return (await state.web.listUserSessions(userId)).filter((s) => s.expiresAt.getTime() > now && now - s.lastSeenAt.getTime() < idleMs);
  };
  const audit = (request: Parameters<typeof actorOf>[0], login: string, detail: Record<string, unknown>) =>
    state.app.store.appendAudit({ ...actorOf(request, 'self'), action: 'web.sign-out', target: `user:${login}`, detail });

  scope.get(BASE, { preHandler, schema: { tags, summary: 'Where I am signed in to these pages', response: { 200: arrayOf(sessionItem), ...authErrors } } }, async (request) => {
    const { user, session } = me(request.principal);
    return (await live(user.id)).map((s) => ({
      id: handleOf(s), current: s.id === session.id, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(), clientIp: s.clientIp, userAgent: s.userAgent,
    }));
  });

  scope.delete(`${BASE}/:id`, { preHandler, schema: { tags, summary: 'Sign out one of my other sessions', params: idParams('id', 64), response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...authErrors } } }, async (request) => {
    const { user, session } = me(request.principal);
    const target = (await live(user.id)).find((s) => handleOf(s) === (request.params as { id: string }).id);
    if (!target) throw new HttpError(404, 'not-found', 'no such session (it may have ended already)');
    if (target.id === session.id) throw new HttpError(400, 'invalid-input', 'this is the session you are using; use "Sign out" instead');
    await state.sessions.destroy(target.id);
    await audit(request, user.login, { sessions: 1 });
    return { ok: true };
  });

  scope.post(
    `${BASE}/sign-out-others`,
    { preHandler, schema: { tags, summary: 'Sign out everywhere else: every session of mine but this one ends', response: { 200: { type: 'object', properties: { ended: { type: 'integer' } } }, ...authErrors } } },
    async (request) => {
      const { user, session } = me(request.principal);
      const ended = await state.sessions.endOthers(user.id, session.id);
      await audit(request, user.login, { sessions: ended, everywhereElse: true });
      return { ended };
    },
  );
}
