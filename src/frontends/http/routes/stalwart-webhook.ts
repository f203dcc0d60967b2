/**
 * Stalwart's webhook intake (CONTRACTS.md §2): `POST /api/v1/webhooks/stalwart`. The signature
 * (X-Signature = base64 HMAC-SHA256 of the raw body under the shared key) is the authentication;
 * it is checked in constant time on the exact bytes received, before anything is parsed or counted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parseJsonExact } from '../../../guard/intake/big-json.js';
import { NodeSeenIds, RedisSeenIds, STALWART_SEEN_IDS, intakeKeys, type SeenIds } from '../../../guard/intake/seen-ids.js';
import { MalformedBatchError, readBatch, KNOWN_TYPES } from '../../../guard/intake/stalwart-events.js';
import { StalwartIntake } from '../../../guard/intake/stalwart-intake.js';
import { sharedRedis } from '../../../guard/state/shared-redis.js';
import { sendError } from '../errors.js';
import type { RouteModule } from './context.js';
import { webhookCounter } from './guard-metrics.js';

export const STALWART_WEBHOOK_PATH = '/api/v1/webhooks/stalwart';

/** Constant-time comparison of the presented signature with the expected one (both decoded). */
export function validSignature(key: string, raw: Buffer, presented: string | undefined): boolean {
  if (typeof presented !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(presented.trim())) return false;
  const expected = createHmac('sha256', key).update(raw).digest();
  const given = Buffer.from(presented.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const stalwartWebhookRoutes: RouteModule = {
  name: 'stalwart-webhook',
  async register(http, { app }) {
    const config = app.config.guard.stalwartWebhook;
    const key = config.signatureKey;
    if (key === undefined) return;
    const redis = sharedRedis(app.config, (fn) => app.onClose(fn));
    const seen: SeenIds = redis
      ? new RedisSeenIds(redis, intakeKeys(app.config.redis.keyPrefix, 'stalwart').seen, config.dedupeSeconds * 1000)
      : new NodeSeenIds(app.processes, STALWART_SEEN_IDS);
    const counter = webhookCounter(app.metrics.registry);
    const intake = new StalwartIntake({
      guard: app.guard,
      admin: app.guardAdmin,
      seen,
      config,
      log: app.log.child({ component: 'intake' }),
      onEvent: (type, result) => counter.inc({ source: 'stalwart', type: KNOWN_TYPES.has(type) ? type : 'other', result }),
    });

    // Its own scope: the raw bytes are kept for the signature, whatever the Content-Type says.
    await http.register(async (scope: FastifyInstance) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      // Stalwart batches events: allow more than the auth APIs' small bodies.
      const bodyLimit = Math.max(app.config.http.bodyLimitBytes, 4 * 1024 * 1024);
      scope.post(STALWART_WEBHOOK_PATH, { bodyLimit }, async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-signature'];
        if (!validSignature(key, raw, typeof signature === 'string' ? signature : undefined)) {
          counter.inc({ source: 'stalwart', type: 'batch', result: 'bad-signature' });
          request.log.warn({ event: 'intake.bad-signature', peer: request.socket.remoteAddress, bytes: raw.length }, 'webhook refused: missing or wrong X-Signature');
          return sendError(reply, 401, 'invalid-signature', 'missing or invalid X-Signature');
        }
        let events;
        try {
          events = readBatch(parseJsonExact(utf8.decode(raw)), config.maxEvents);
        } catch (err) {
          // Signed but unreadable: Stalwart would retry it forever, so 400 (logged) rather than 5xx.
          const message = err instanceof MalformedBatchError ? err.message : 'the body is not valid UTF-8 JSON';
          counter.inc({ source: 'stalwart', type: 'batch', result: 'invalid' });
          request.log.warn({ event: 'intake.invalid-batch', reason: message }, 'webhook batch refused');
          return sendError(reply, 400, 'invalid-batch', message);
        }
        try {
          const result = await intake.handle(events);
          request.log.debug({ event: 'intake.batch', source: 'stalwart', events: events.length, ...result }, 'webhook batch');
          return reply.code(200).send({ ok: true, ...result });
        } catch (err) {
          // Shared de-duplication unreachable: refuse the batch so Stalwart retries it, never count twice.
          request.log.error({ event: 'intake.unavailable', err: err instanceof Error ? err.message : String(err) }, 'webhook batch not handled; Stalwart will retry');
          return sendError(reply, 503, 'intake-unavailable', 'events cannot be recorded right now; retry later');
        }
      });
    });
  },
};
