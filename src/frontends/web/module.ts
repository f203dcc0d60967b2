/**
 * The web front end as one HTTP route module: the admin API and its OpenAPI document, the
 * self-service API, login and logout, and the UI's files. Everything sits in its own Fastify scope
 * with its own error handler, security headers and form parser.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../http/routes/context.js';
import { installClientAddress } from './client-address.js';
import { OpenApiCollector } from './openapi.js';
import type { WebOptions } from './options.js';
import { registerAdminAudit } from './routes/admin-audit.js';
import { registerAdminCredentials } from './routes/admin-credentials.js';
import { registerAdminGroups } from './routes/admin-groups.js';
import { registerAdminGuard } from './routes/admin-guard.js';
import { registerAdminIssuers } from './routes/admin-issuers.js';
import { registerAdminStats } from './routes/admin-stats.js';
import { registerAdminUsers } from './routes/admin-users.js';
import { registerSelfRoutes } from './routes/self.js';
import { registerSelfSessions } from './routes/self-sessions.js';
import { registerSessionRoutes } from './routes/session.js';
import { installSecurityHeaders } from './security-headers.js';
import { installStrictBodies } from './strict-body.js';
import { registerStatic } from './static.js';
import { webStateOf } from './state.js';
import { installWebErrors } from './web-errors.js';

const FORM_LIMIT = 16 * 1024;

/** Logout works as a plain HTML form too: URL-encoded bodies, small, in this scope only. */
function installFormParser(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}

export function webRoutesWith(overrides: Partial<WebOptions> = {}): RouteModule {
  return {
    name: 'web',
    async register(http, { app }) {
      const state = webStateOf(app, overrides);
      await http.register(async (scope) => {
        const openapi = new OpenApiCollector();
        openapi.attach(scope);
        installClientAddress(scope, state.addresses);
        installWebErrors(scope);
        installSecurityHeaders(scope);
        installFormParser(scope);
        installStrictBodies(scope);
        scope.decorateRequest('principal', null);
        registerSessionRoutes(scope, state);
        registerSelfRoutes(scope, state);
        registerSelfSessions(scope, state);
        registerAdminUsers(scope, state);
        registerAdminGroups(scope, state);
        registerAdminCredentials(scope, state);
        registerAdminIssuers(scope, state);
        registerAdminGuard(scope, state);
        registerAdminAudit(scope, state);
        registerAdminStats(scope, state);
        registerStatic(scope, state.options.assetsDir);
        scope.get('/api/admin/openapi.json', async () => openapi.document());
      });
    },
  };
}

/** The module listed in src/frontends/http/routes/index.ts. */
export const webRoutes: RouteModule = webRoutesWith();
