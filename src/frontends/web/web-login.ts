/**
 * The web login through the one pipeline (protocol web, front end web), so the guard protects it
 * like every other login. Only the account's primary password opens a web session: app passwords,
 * tokens and master logins are refused exactly like a wrong password.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../identity/model.js';
import { REFUSALS } from '../../pipeline/outcomes.js';
import { decide } from '../http/decide.js';
import { HttpError } from '../http/errors.js';
import { clientHttps, clientIp } from './client-address.js';
import type { WebState } from './state.js';

/** Refusals that are the client's own fault answer 401; bans, busy and TLS keep their status. */
const KEEP_STATUS = new Set(['banned', 'blocklisted', 'rate-limited', 'busy', 'temporary-failure', 'tls-required']);
const MAX_WEB_DELAY_SECONDS = 5;

export async function verifyPrimaryPassword(state: WebState, request: FastifyRequest, reply: FastifyReply, login: string, password: string): Promise<User> {
  const decision = await decide(state.app, request, reply, {
    login,
    secret: password,
    mode: 'authenticate',
    protocol: 'web',
    clientIp: clientIp(request),
    tls: clientHttps(request),
    frontEnd: 'web',
    ...(typeof request.headers['user-agent'] === 'string' ? { userAgent: request.headers['user-agent'].slice(0, 256) } : {}),
  });
  if (!decision.ok) {
    const refusal = REFUSALS[decision.reason];
    // The guard slows a typist or a guesser: the web answer waits as nginx would be told to.
    if (decision.delaySeconds > 0) await sleep(Math.min(decision.delaySeconds, MAX_WEB_DELAY_SECONDS) * 1000);
    if (decision.retryAfterSeconds !== undefined) reply.header('Retry-After', String(decision.retryAfterSeconds));
    const status = KEEP_STATUS.has(decision.reason) ? refusal.http : 401;
    throw new HttpError(status, decision.reason === 'invalid-credentials' ? 'invalid-credentials' : decision.reason, refusal.public);
  }
  const primary = decision.credential === 'password' && decision.account.kind === 'user' && decision.impersonator === undefined;
  const user = primary ? await state.app.store.getUser(decision.account.id) : null;
  if (!user) throw new HttpError(401, 'invalid-credentials', REFUSALS['invalid-credentials'].public);
  return user;
}
