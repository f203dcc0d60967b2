/** What every route module receives. */
import type { FastifyInstance } from 'fastify';
import type { App } from '../../../app.js';
import type { CallerAuth } from '../callers.js';

export interface RouteContext {
  app: App;
  callers: CallerAuth;
}

export interface RouteModule {
  /** For logs and start-up checks. */
  name: string;
  register(http: FastifyInstance, ctx: RouteContext): void | Promise<void>;
}
