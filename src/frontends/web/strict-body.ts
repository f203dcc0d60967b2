/**
 * Fastify's validator coerces types ("admin" becomes ["admin"], "true" becomes true): handy for
 * query strings, wrong for JSON bodies of an admin API. This hook refuses, before validation, any
 * top-level body field whose JSON type differs from the schema's (our bodies are flat objects).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.js';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function accepts(declared: unknown, actual: JsonType): boolean {
  const types = [declared].flat().filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return true;
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

export function checkBodyTypes(request: FastifyRequest): void {
  const schema = request.routeOptions.schema?.body as { properties?: Record<string, { type?: unknown }> } | undefined;
  const body = request.body;
  if (!schema?.properties || typeof body !== 'object' || body === null || Array.isArray(body)) return;
  for (const [name, value] of Object.entries(body)) {
    const declared = schema.properties[name]?.type;
    if (declared !== undefined && !accepts(declared, typeOf(value))) {
      throw new HttpError(400, 'invalid-input', `body.${name} must be ${[declared].flat().join(' or ')}`);
    }
  }
}

export function installStrictBodies(scope: FastifyInstance): void {
  scope.addHook('preValidation', async (request) => {
    // Forms (logout) are text by nature; only JSON bodies are held to their schema's types.
    if ((request.headers['content-type'] ?? '').startsWith('application/json')) checkBodyTypes(request);
  });
}
