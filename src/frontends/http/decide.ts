/** The one way an HTTP front end asks the pipeline: relay address, cancellation and guard delays handled alike. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import type { Attempt } from '../../pipeline/attempt.js';
import type { Decision } from '../../pipeline/decision.js';
import type { AuthorizationHeader } from './credentials.js';
import { normalizeIp } from './net.js';

export type HttpAttempt = Omit<Attempt, 'relayIp' | 'signal'>;

/** The attempt of a user's own Authorization header: Basic is login and secret, Bearer a token alone. */
export function attemptFromAuthorization(
  request: FastifyRequest,
  auth: Extract<AuthorizationHeader, { kind: 'basic' | 'bearer' }>,
  fields: Pick<Attempt, 'protocol' | 'clientIp' | 'tls' | 'frontEnd'>,
): HttpAttempt {
  const userAgent = request.headers['user-agent'];
  return {
    login: auth.kind === 'basic' ? auth.user : '',
    secret: auth.kind === 'basic' ? auth.password : auth.token,
    ...(auth.kind === 'bearer' ? { secretIsToken: true } : {}),
    mode: 'authenticate',
    ...fields,
    ...(userAgent ? { userAgent } : {}),
  };
}

/**
 * A caller that hangs up drops its queued hashing (CONTRACTS.md §10: no free work for attackers).
 * An unfinished response ends early only when its connection goes, so one signal per connection,
 * aborted when the socket closes, serves every request on it: no controller or listener per request.
 */
const socketSignals = new WeakMap<Socket, { signal: AbortSignal; relayIp: string | null }>();

function connectionOf(socket: Socket): { signal: AbortSignal; relayIp: string | null } {
  let known = socketSignals.get(socket);
  if (!known) {
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    known = { signal: gone.signal, relayIp: normalizeIp(socket.remoteAddress) };
    socketSignals.set(socket, known);
  }
  return known;
}

export async function decide(app: App, request: FastifyRequest, _reply: FastifyReply, attempt: HttpAttempt): Promise<Decision> {
  const { signal, relayIp } = connectionOf(request.socket);
  // Object.assign, not spread: the attempts of the various routes differ in shape, and V8 copies a
  // spread of such a polymorphic source on its slow path (~1.7 µs against ~0.15 µs here).
  const decision = await app.pipeline.decide(Object.assign({}, attempt, { relayIp, signal }));
  // The guard slows an accepted login under attack by holding the answer, not by refusing it.
  if (decision.ok && decision.delaySeconds > 0) await sleep(decision.delaySeconds * 1000, undefined, { signal }).catch(() => undefined);
  return decision;
}
