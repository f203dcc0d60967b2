/** OpenCloud's authentication API (CONTRACTS.md §3): POST /auth with the user's Basic or Bearer credentials. */
import type { FastifyReply } from 'fastify';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import { requireCaller } from '../callers.js';
import { parseAuthorization } from '../credentials.js';
import { attemptFromAuthorization, decide } from '../decide.js';
import { parseClientIp } from '../net.js';
import { mapProtocol } from '../protocol.js';
import type { RouteModule } from './context.js';

const reason = (reply: FastifyReply, status: number, text: string): FastifyReply => reply.code(status).send({ reason: text });

export const opencloudRoutes: RouteModule = {
  name: 'opencloud',
  register(http, { app, callers }) {
    // The Authorization header is the user's here, so the caller proves itself with X-API-Key.
    const preHandler = requireCaller(callers, { endpoints: ['opencloud'], authorizationIsUsers: true });
    http.post('/auth', { preHandler }, async (request, reply) => {
      const auth = parseAuthorization(request.headers.authorization);
      if (auth.kind === 'none') return reason(reply.header('WWW-Authenticate', 'Basic realm="portcullis", Bearer'), 401, 'credentials required');
      if (auth.kind === 'malformed') return reason(reply, 400, `malformed Authorization header: ${auth.why}`);
      const rawIp = request.headers['client-ip'] ?? request.headers['x-client-ip'];
      const clientIp = parseClientIp(typeof rawIp === 'string' ? rawIp : undefined);
      if (clientIp === 'invalid') return reason(reply, 400, 'Client-IP is not an IP address');
      const rawProtocol = request.headers['auth-protocol'];
      const protocol = mapProtocol(typeof rawProtocol === 'string' ? rawProtocol : undefined, 'http');
      if (protocol === null) return reason(reply, 400, 'Auth-Protocol names no protocol Portcullis knows');
      const attempt = attemptFromAuthorization(request, auth, { protocol, clientIp, tls: request.protocol === 'https', frontEnd: 'opencloud' });
      const decision = await decide(app, request, reply, attempt);
      if (!decision.ok) {
        const refusal = REFUSALS[decision.reason];
        const status = refusal.temporary ? refusal.http : refusal.http === 400 ? 400 : 401;
        return reason(reply, status, refusal.public);
      }
      const { account } = decision;
      return { subject: account.uid, roles: account.roles, mail: account.mail, displayName: account.displayName, groups: account.groups };
    });
  },
};
