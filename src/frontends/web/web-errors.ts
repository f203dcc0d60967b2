/**
 * Errors of the web APIs as the shared {error, message} shape, with messages a person can act on:
 * which field is wrong and why (schema violations, identity rules), never a stack or a secret.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { InvalidTargetError } from '../../guard/admin.js';
import { PasswordPolicyError } from '../../identity/password-policy.js';
import { ValidationError } from '../../identity/validate.js';
import { StoreConflictError, StoreNotFoundError } from '../../store/store.js';
import { HttpError, sendError } from '../http/errors.js';

interface SchemaIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** "body.displayName: must NOT have more than 256 characters" — ajv's texts name limits, never values. */
function describeValidation(context: string | undefined, issues: SchemaIssue[]): string {
  const first = issues[0];
  if (!first) return 'the request is invalid';
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const extra = first.params?.['additionalProperty'];
  const field = [context, path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.');
  const message = typeof extra === 'string' ? 'is not an accepted field' : (first.message ?? 'is invalid');
  return `${field || 'request'} ${message}`;
}

export function installWebErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.statusCode, err.code, err.message);
    if (err.validation) return sendError(reply, 400, 'invalid-input', describeValidation(err.validationContext, err.validation as SchemaIssue[]));
    if (err instanceof PasswordPolicyError) return sendError(reply, 400, 'password-policy', err.message.replace(/^password "\(hidden\)" is invalid: /, 'password rejected: '));
    if (err instanceof ValidationError) return sendError(reply, 400, 'invalid-input', err.message);
    if (err instanceof InvalidTargetError) return sendError(reply, 400, 'invalid-target', err.message);
    if (err instanceof StoreConflictError) return sendError(reply, 409, 'conflict', err.message);
    if (err instanceof StoreNotFoundError) return sendError(reply, 404, 'not-found', err.message);
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, 'body-too-large', 'request body is larger than allowed');
    if (status === 415) return sendError(reply, 415, 'unsupported-media-type', 'expected Content-Type: application/json');
    if (status >= 400 && status < 500) return sendError(reply, status, 'bad-request', 'the request is malformed');
    request.log.error({ event: 'web.internal-error', err: { name: err.name, message: err.message, stack: err.stack } }, 'web request failed');
    return sendError(reply, 500, 'internal-error', 'internal error');
  });
}
