/**
 * Prometheus metrics at GET /metrics: readable without a key from metrics.networks (loopback by
 * default), otherwise by a caller with the `metrics` endpoint group.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { requireCaller } from '../callers.js';
import { blockListOf, inBlockList, normalizeIp } from '../net.js';
import type { RouteModule } from './context.js';

export const metricsRoutes: RouteModule = {
  name: 'metrics',
  register(http, { app, callers }) {
    if (!app.config.metrics.enabled) return;
    const networks = blockListOf(app.config.metrics.networks);
    const byKey = requireCaller(callers, { endpoints: ['metrics'] });
    const preHandler = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      const peer = normalizeIp(request.socket.remoteAddress);
      if (peer !== null && inBlockList(networks, peer)) {
        request.caller = 'metrics-network';
        done();
        return;
      }
      byKey(request, reply, done);
    };
    http.get('/metrics', { preHandler }, async (_request, reply) => {
      const { contentType, text } = await app.exportMetrics();
      return reply.type(contentType).send(text);
    });
  },
};
