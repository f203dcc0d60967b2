/**
 * Who is calling the web APIs: a browser session (cookie, CSRF-checked on every state change) or an
 * admin API token (Authorization: Bearer, no cookie, so no CSRF). Route guards for both live here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../identity/service.js';
import type { User } from '../../identity/model.js';
import type { WebSession } from '../../store/web-store.js';
import { parseAuthorization } from '../http/credentials.js';
import { HttpError } from '../http/errors.js';
import { findLiveToken } from './admin-tokens.js';
import { clientIp } from './client-address.js';
import { crossSite, presentedCsrf, sameToken } from './csrf.js';
import { adminRoleOf, hasRole, type AdminRole } from './roles.js';
import type { WebState } from './state.js';

export interface Principal {
  user: User;
  role: AdminRole | null;
  /** Set for browser sessions. */
  session: WebSession | null;
  /** Set for API tokens: its name, for the audit trail. */
  token: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export { clientIp };

/** The audit actor: admin:<login> (or admin:<login>/token:<name>), or self:<login>. */
export function actorOf(request: FastifyRequest, kind: 'admin' | 'self'): Actor {
  const p = request.principal;
  if (!p) throw new HttpError(401, 'login-required', 'please log in');
  const who = p.token ? `${kind}:${p.user.login}/token:${p.token}` : `${kind}:${p.user.login}`;
  return { actor: who, source: clientIp(request) };
}

async function fromToken(state: WebState, request: FastifyRequest): Promise<Principal | null> {
  const auth = parseAuthorization(request.headers.authorization);
  if (auth.kind !== 'bearer') return null;
  const now = state.options.now();
  const token = await findLiveToken(state.web, auth.token, now);
  if (!token) throw new HttpError(401, 'invalid-token', 'the API token is not valid');
  const user = await state.app.store.getUser(token.userId);
  if (!user || !user.enabled) throw new HttpError(401, 'invalid-token', 'the API token is not valid');
  if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > 60_000) await state.web.touchAdminToken(token.id, new Date(now));
  return { user, role: adminRoleOf(user.roles), session: null, token: token.name };
}

async function fromSession(state: WebState, request: FastifyRequest): Promise<Principal> {
  const found = await state.sessions.lookup(state.cookies.sessionValue(request));
  if (found.status === 'expired') throw new HttpError(401, 'session-expired', 'your session has expired; please log in again');
  if (found.status !== 'ok') throw new HttpError(401, 'login-required', 'please log in');
  const { session, user } = found.live;
  if (!SAFE_METHODS.has(request.method) && !sameToken(presentedCsrf(request), session.csrf)) {
    throw new HttpError(403, 'csrf-failed', 'the form is out of date or was not sent by this site; reload the page and try again');
  }
  return { user, role: adminRoleOf(user.roles), session, token: null };
}

/** A preHandler admitting any logged-in user (self-service); tokens are for the admin API only. */
export function requireSession(state: WebState) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (crossSite(request)) throw new HttpError(403, 'cross-site', 'cross-site requests are not accepted');
    request.principal = await fromSession(state, request);
  };
}

/** A preHandler admitting sessions or tokens of users holding at least `role`. */
export function requireRole(state: WebState, role: AdminRole) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (crossSite(request)) throw new HttpError(403, 'cross-site', 'cross-site requests are not accepted');
    const principal = (await fromToken(state, request)) ?? (await fromSession(state, request));
    request.principal = principal;
    if (!hasRole(principal.role, role)) {
      throw new HttpError(403, 'forbidden', principal.role ? `this needs the ${role} role` : 'this needs an admin role');
    }
  };
}
