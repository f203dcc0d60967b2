/** The Fastify HTTP server: strict input, caller authentication, secret-free logs, and the route modules. */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../../app.js';
import { CallerAuth } from './callers.js';
import { installErrorHandlers, sendError } from './errors.js';
import { installJsonParser } from './json-body.js';
import { lazyChildLoggerFactory } from './request-logger.js';
import { ROUTE_MODULES } from './routes/index.js';

export async function buildHttpServer(app: App): Promise<FastifyInstance> {
  const log = app.log.child({ component: 'http' });
  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's own request logs are off: ours below never include headers, bodies or query strings.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggerFactory(log),
    bodyLimit: app.config.http.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A malformed URL or header is the client's fault: the error shape, not Fastify's default answer.
    frameworkErrors: (err, _request, reply) => {
      const bad = err.code === 'FST_ERR_BAD_URL' ? 'bad-url' : 'bad-request';
      void sendError(reply, 400, bad, bad === 'bad-url' ? 'the request URL is malformed' : 'bad request');
    },
  });
  http.decorateRequest('caller', null);
  installJsonParser(http);
  installErrorHandlers(http);
  // Only at debug (the level is set once, from the configuration): a hook costs every request.
  if (log.isLevelEnabled('debug')) {
    http.addHook('onResponse', (request, reply, done) => {
      request.log.debug(
        { event: 'http.request', method: request.method, path: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, caller: request.caller, ms: Math.round(reply.elapsedTime) },
        'request',
      );
      done();
    });
  }
  const ctx = { app, callers: new CallerAuth(app.config.http) };
  for (const module of ROUTE_MODULES) await module.register(http, ctx);
  await http.ready();
  return http;
}

/** Builds the server, listens on config.http.listen and closes it with the app. */
export async function startHttpServer(app: App): Promise<FastifyInstance> {
  const http = await buildHttpServer(app);
  const { host, port } = app.config.http.listen;
  await http.listen({ host, port });
  app.onClose(() => http.close());
  app.log.info({ event: 'http.listening', host, port: boundPort(http) }, 'HTTP API listening');
  return http;
}

export function boundPort(http: FastifyInstance): number {
  const address = http.server.address();
  return address !== null && typeof address === 'object' ? address.port : 0;
}
