/**
 * Weakforced's LoginTuple (CONTRACTS.md §5, §6) as Dovecot and wforce clients send it, and its
 * translation into a policy-only Attempt. Dovecot sends every value as a string and nests keys
 * written `a/b`; other clients send JSON booleans: both are accepted.
 */
import { z } from 'zod';
import type { Protocol } from '../../../identity/model.js';
import type { Attempt } from '../../../pipeline/attempt.js';
import { HttpError } from '../errors.js';
import { parseClientIp } from '../net.js';
import { mapProtocol } from '../protocol.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/** A boolean as a JSON boolean or a string ("true"/"false", "1"/"0", "yes"/"no"). */
export const boolish = z.union([z.boolean(), z.string().max(8)]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected a boolean' });
  return z.NEVER;
});

const text = (max: number) => z.string().max(max);
const attrs = z.record(z.string().max(256), z.unknown());

/** Unknown keys are ignored: Dovecot passes whatever auth_policy_request_attributes names. */
export const loginTuple = z.object({
  login: text(512).default(''),
  remote: text(64).optional(),
  pwhash: text(256).optional(),
  success: boolish.optional(),
  policy_reject: boolish.optional(),
  tls: boolish.optional(),
  protocol: text(64).optional(),
  device_id: text(512).optional(),
  device_attrs: attrs.optional(),
  session_id: text(256).optional(),
  fail_type: text(64).optional(),
  attrs: attrs.optional(),
});

export type LoginTuple = z.infer<typeof loginTuple>;

const MAX_KEYS = 256;

/** `{"a/b": 1}` becomes `{"a": {"b": 1}}`; nested objects already in place are kept. */
export function nestKeys(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(body);
  if (keys.length > MAX_KEYS) throw new HttpError(400, 'too-many-fields', `at most ${MAX_KEYS} fields`);
  for (const key of keys) {
    const parts = key.split('/');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node[part] = Object.create(null) as Record<string, unknown>;
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new HttpError(400, 'invalid-field', `field "${part.slice(0, 64)}" is both a value and a group`);
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] ?? key] = body[key];
  }
  return out;
}

/** Parses a body into a LoginTuple; errors name the field, never quote a value. */
export function parseTuple(body: unknown): LoginTuple {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-body', 'expected a JSON object (a LoginTuple)');
  }
  const parsed = loginTuple.safeParse(nestKeys(body as Record<string, unknown>));
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? 'body').slice(0, 64);
  throw new HttpError(400, 'invalid-field', `field "${field}" has the wrong type or is too long`);
}

/**
 * The policy question as an Attempt: no secret (the Weakforced API never checks a password), the
 * client is `remote`, the relay is the HTTP peer (Dovecot), so the peer itself is never counted.
 */
export function toPolicyAttempt(tuple: LoginTuple, relayIp: string | null): Attempt {
  const clientIp = parseClientIp(tuple.remote);
  if (clientIp === 'invalid') throw new HttpError(400, 'invalid-field', 'field "remote" must be an IP address');
  return {
    login: tuple.login,
    secret: null,
    mode: 'authenticate',
    protocol: protocolOf(tuple.protocol),
    clientIp,
    relayIp,
    tls: tuple.tls ?? false,
    frontEnd: 'weakforced',
    ...(tuple.device_id ? { deviceId: tuple.device_id } : {}),
  };
}

/** Only logs and metrics read the protocol here, so an unknown name is not an error. */
function protocolOf(name: string | undefined): Protocol {
  return mapProtocol(name, 'imap') ?? 'imap';
}

/**
 * Dovecot 2.4's fail_type: the ones that are not a wrong guess (our own refusal, an internal error)
 * are never counted. Unknown types count, as a failure without a type does.
 */
const NOT_GUESSES = new Set(['policy', 'internal', 'tempfail', 'temporary']);

export function countedFailure(tuple: LoginTuple): boolean {
  if (tuple.policy_reject === true) return false;
  return !NOT_GUESSES.has((tuple.fail_type ?? '').toLowerCase());
}
