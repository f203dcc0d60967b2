/** The dedicated nginx mail auth_http endpoint (the Nauthilus-style one lives under /api/v1/auth/nginx). */
import { requireCaller } from '../callers.js';
import type { RouteModule } from './context.js';
import { checkUpstreams, handleNginx } from './nginx-handler.js';

export const nginxRoutes: RouteModule = {
  name: 'nginx',
  register(http, { app, callers }) {
    const { problems, missing } = checkUpstreams(app.config);
    if (problems.length > 0) throw new Error(`invalid configuration: ${problems.join('; ')}`);
    if (missing.length > 0) {
      app.log.warn({ event: 'nginx.upstream-missing', protocols: missing }, `auth_http logins for ${missing.join(', ')} will fail until nginx.upstreams has them`);
    }
    const preHandler = requireCaller(callers, { endpoints: ['nginx'] });
    http.get('/auth/nginx', { preHandler }, (request, reply) => handleNginx(app, request, reply));
  },
};
