/** Strict JSON bodies: UTF-8 only, valid JSON only, never a parser message that could quote a secret. */
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function installJsonParser(http: FastifyInstance): void {
  http.removeAllContentTypeParsers();
  http.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const type = request.headers['content-type'] ?? '';
    // No parameters (the usual "application/json"): no charset to check.
    const charset = type.includes(';') ? /;\s*charset=("?)([^";]+)\1/i.exec(type)?.[2]?.toLowerCase() : undefined;
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      done(new HttpError(415, 'unsupported-charset', 'JSON bodies must be UTF-8'), undefined);
      return;
    }
    const buffer = body as Buffer;
    if (buffer.length === 0) {
      done(new HttpError(400, 'empty-body', 'the JSON body is empty'), undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(buffer);
    } catch {
      done(new HttpError(400, 'invalid-utf8', 'request body is not valid UTF-8'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      // JSON.parse messages quote the input, which may hold a password: never pass them on.
      done(new HttpError(400, 'invalid-json', 'request body is not valid JSON'), undefined);
    }
  });
}
