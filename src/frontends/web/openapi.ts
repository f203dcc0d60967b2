/**
 * The OpenAPI 3.1 document of the web APIs, generated from the routes' own JSON schemas as Fastify
 * registers them (onRoute), so it always says what the server validates. Served at
 * /api/admin/openapi.json.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

interface Collected {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  role: string | undefined;
}

type JsonObject = Record<string, unknown>;

const toPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(where: 'path' | 'query', schema: unknown): JsonObject[] {
  const s = schema as { properties?: Record<string, JsonObject>; required?: string[] } | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) };
  });
}

function operation(route: Collected): JsonObject {
  const { schema } = route;
  const responses: JsonObject = {};
  for (const [status, body] of Object.entries((schema['response'] as JsonObject | undefined) ?? { 200: {} })) {
    responses[status] = { description: Number(status) < 400 ? 'ok' : 'error', content: { 'application/json': { schema: body } } };
  }
  const needsRole = route.role !== undefined;
  return {
    summary: schema['summary'],
    tags: schema['tags'],
    ...(needsRole ? { 'x-required-role': route.role, security: [{ session: [] }, { token: [] }] } : {}),
    parameters: [...parameters('path', schema['params']), ...parameters('query', schema['querystring'])],
    ...(schema['body'] ? { requestBody: { required: true, content: { 'application/json': { schema: schema['body'] } } } } : {}),
    responses,
  };
}

export class OpenApiCollector {
  private readonly routes: Collected[] = [];

  /** Call on the scope before its routes are declared. */
  attach(scope: FastifyInstance): void {
    scope.addHook('onRoute', (options: RouteOptions) => {
      if (!options.url.startsWith('/api/') || !options.schema || options.method === 'HEAD') return;
      for (const method of [options.method].flat()) {
        if (method === 'HEAD') continue;
        this.routes.push({ method: method.toLowerCase(), url: options.url, schema: options.schema as JsonObject, role: options.config?.role });
      }
    });
  }

  document(): JsonObject {
    const paths: Record<string, JsonObject> = {};
    for (const route of this.routes) (paths[toPath(route.url)] ??= {})[route.method] = operation(route);
    return {
      openapi: '3.1.0',
      info: {
        title: 'Portcullis admin and self-service API',
        version: '1',
        description:
          'Admin API (roles: auditor reads, helpdesk also manages ordinary users\' passwords, enabled state and app passwords, admin everything) and the self-service API. ' +
          'Browser sessions must send X-CSRF-Token (from GET /api/web/v1/session) on every state-changing request; API tokens (portcullis admin-token create) need no CSRF token.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'portcullis_session', description: '__Host-portcullis_session over TLS' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      paths,
    };
  }
}
