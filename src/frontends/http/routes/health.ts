/** Liveness (the process answers) and readiness (the identity store answers). */
import type { RouteModule } from './context.js';

export const healthRoutes: RouteModule = {
  name: 'health',
  register(http, { app }) {
    http.get('/healthz', async () => ({ ok: true }));
    http.get('/readyz', async (request, reply) => {
      try {
        await app.store.ping();
        return { ok: true };
      } catch (err) {
        request.log.warn({ event: 'http.not-ready', err: err instanceof Error ? err.message : String(err) }, 'store ping failed');
        return reply.code(503).send({ error: 'not-ready', message: 'the identity store does not answer' });
      }
    });
  },
};
