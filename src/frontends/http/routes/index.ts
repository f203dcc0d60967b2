/**
 * Every HTTP route module, registered in this order. To add an API (Weakforced, Stalwart webhooks,
 * admin), write a module exporting a RouteModule and add one line here.
 */
import type { RouteModule } from './context.js';
import { healthRoutes } from './health.js';
import { nauthilusRoutes } from './nauthilus.js';
import { nginxRoutes } from './nginx.js';
import { opencloudRoutes } from './opencloud.js';

export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  nauthilusRoutes,
  nginxRoutes,
  opencloudRoutes,
];

export type { RouteContext, RouteModule } from './context.js';
