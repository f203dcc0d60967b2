/**
 * Every HTTP route module, registered in this order. To add an API (Weakforced, Stalwart webhooks,
 * admin), write a module exporting a RouteModule and add one line here.
 */
import type { RouteModule } from './context.js';
import { authRequestRoutes } from './auth-request.js';
import { bruteforceRoutes } from './bruteforce.js';
import { guardAdminRoutes } from './guard-admin.js';
import { metricsRoutes } from './metrics.js';
import { stalwartWebhookRoutes } from './stalwart-webhook.js';
import { weakforcedRoutes } from './weakforced.js';
import { healthRoutes } from './health.js';
import { nauthilusRoutes } from './nauthilus.js';
import { nginxRoutes } from './nginx.js';
import { opencloudRoutes } from './opencloud.js';
import { webRoutes } from '../../web/module.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  nauthilusRoutes,
  nginxRoutes,
  opencloudRoutes,
  authRequestRoutes,
  weakforcedRoutes,
  bruteforceRoutes,
  guardAdminRoutes,
  stalwartWebhookRoutes,
  metricsRoutes,
  webRoutes,
];

export type { RouteContext, RouteModule } from './context.js';
