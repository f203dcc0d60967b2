/**
 * nginx `auth_request` for JMAP and *DAV behind an HTTP reverse proxy (gateway mode): nginx sends
 * the client's Authorization header in a subrequest and reads only the status. 2xx lets the request
 * through (with the account in X-Portcullis-* headers for auth_request_set), 401 asks the client
 * for credentials (WWW-Authenticate), 403 is a ban; anything else nginx turns into a 500.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import { requireCaller } from '../callers.js';
import { headerSafe, parseAuthorization } from '../credentials.js';
import { attemptFromAuthorization, decide } from '../decide.js';
import { parseClientIp } from '../net.js';
import { mapProtocol } from '../protocol.js';
import type { RouteModule } from './context.js';

const CHALLENGE = 'Basic realm="portcullis", charset="UTF-8"';

function challenge(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('WWW-Authenticate', CHALLENGE).header('Cache-Control', 'no-store').send();
}

/** nginx sets these with proxy_set_header; the caller is authenticated, so they are believed. */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export const authRequestRoutes: RouteModule = {
  name: 'auth-request',
  register(http, { app, callers }) {
    const preHandler = requireCaller(callers, { endpoints: ['nginx'], authorizationIsUsers: true });
    http.route({
      method: ['GET', 'HEAD', 'POST'],
      url: '/api/v1/auth/request',
      preHandler,
      handler: async (request, reply) => {
        const auth = parseAuthorization(request.headers.authorization);
        if (auth.kind === 'none' || auth.kind === 'malformed') return challenge(reply);
        const clientIp = parseClientIp(header(request, 'x-real-ip') ?? header(request, 'client-ip'));
        const protocol = mapProtocol(header(request, 'x-portcullis-protocol'), 'http');
        if (clientIp === 'invalid' || protocol === null) {
          return reply.code(400).header('Cache-Control', 'no-store').send({ error: 'bad-proxy-headers', message: 'X-Real-IP must be an IP address and X-Portcullis-Protocol a known protocol' });
        }
        const tls = header(request, 'x-forwarded-proto') === 'https';
        const decision = await decide(app, request, reply, attemptFromAuthorization(request, auth, { protocol, clientIp, tls, frontEnd: 'auth-request' }));
        reply.header('Cache-Control', 'no-store');
        if (decision.ok) {
          const { account } = decision;
          reply.header('X-Portcullis-User', headerSafe(account.uid));
          if (account.mail) reply.header('X-Portcullis-Mail', headerSafe(account.mail));
          return reply.code(204).send();
        }
        const refusal = REFUSALS[decision.reason];
        if (refusal.temporary) return reply.code(503).send();
        if (decision.reason === 'banned' || decision.reason === 'blocklisted') {
          if (decision.retryAfterSeconds) reply.header('Retry-After', String(decision.retryAfterSeconds));
          return reply.code(403).send();
        }
        return challenge(reply);
      },
    });
  },
};
