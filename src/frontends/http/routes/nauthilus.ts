/** The Nauthilus-compatible auth API (CONTRACTS.md §4): JSON, header and nginx modes, and cache flush. */
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireCaller } from '../callers.js';
import { decide } from '../decide.js';
import { HttpError } from '../errors.js';
import type { RouteModule } from './context.js';
import { modeOf, parseHeaderFields, parseJsonFields, toAttempt } from './nauthilus-request.js';
import { replyHeaders, replyJson } from './nauthilus-reply.js';
import { handleNginx } from './nginx-handler.js';

const flushBody = z.strictObject({ user: z.string().max(512).optional() }).optional();

export const nauthilusRoutes: RouteModule = {
  name: 'nauthilus',
  register(http, { app, callers }) {
    const preHandler = requireCaller(callers, { endpoints: ['nauthilus'] });

    http.post('/api/v1/auth/json', { preHandler }, async (request, reply) => {
      const attempt = toAttempt(parseJsonFields(request.body), modeOf(request), 'nauthilus');
      return replyJson(reply, await decide(app, request, reply, attempt), app.config);
    });

    const byHeaders = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const attempt = toAttempt(parseHeaderFields(request), modeOf(request), 'nauthilus');
      return replyHeaders(reply, await decide(app, request, reply, attempt), app.config);
    };
    http.get('/api/v1/auth/header', { preHandler }, byHeaders);
    http.post('/api/v1/auth/header', { preHandler }, byHeaders);

    // nginx's auth_http may point here too, so the nginx endpoint group grants it as well.
    const nginxPre = requireCaller(callers, { endpoints: ['nauthilus', 'nginx'] });
    http.get('/api/v1/auth/nginx', { preHandler: nginxPre }, (request, reply) => handleNginx(app, request, reply));
    http.post('/api/v1/auth/nginx', { preHandler: nginxPre }, (request, reply) => handleNginx(app, request, reply));

    http.delete('/api/v1/cache/flush', { preHandler }, async (request) => {
      const parsed = flushBody.safeParse(request.body);
      if (!parsed.success) throw new HttpError(400, 'invalid-body', 'expected {"user": "<login>"} or no body');
      // Cache keys are HMACs of login and secret, so one user's entries cannot be picked out: flush all.
      await app.cache.clear();
      request.log.info({ event: 'cache.flush', caller: request.caller, user: parsed.data?.user ?? null }, 'verification cache flushed');
      return { ok: true, flushed: 'all' };
    });
  },
};
