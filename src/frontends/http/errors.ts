/** The one machine-readable error shape of the HTTP APIs, and Fastify's own errors mapped onto it. */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export interface ErrorBody {
  error: string;
  message: string;
}

/** An error a handler throws to answer a 4xx with a stable code; the message must be safe to show. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: code, message } satisfies ErrorBody);
}

// Fastify's codes for bad input, with messages of our own: theirs may quote the body.
const FASTIFY_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body-too-large', message: 'request body is larger than allowed' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported-media-type', message: 'expected Content-Type: application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'empty-body', message: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid-content-length', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid-json', message: 'request body is not valid JSON' },
  FST_ERR_BAD_URL: { code: 'bad-url', message: 'the request URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'bad-request', message: 'bad request' },
};

export function installErrorHandlers(http: FastifyInstance): void {
  http.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.statusCode, err.code, err.message);
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    const status = err.statusCode ?? 500;
    if (known) return sendError(reply, status >= 400 && status < 500 ? status : 400, known.code, known.message);
    if (status >= 400 && status < 500) return sendError(reply, status, 'bad-request', 'bad request');
    request.log.error({ event: 'http.internal-error', err: { name: err.name, message: err.message, stack: err.stack } }, 'request failed');
    return sendError(reply, 500, 'internal-error', 'internal error');
  });
  http.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not-found', 'no such endpoint'));
}
