/**
 * Nauthilus request fields (CONTRACTS.md §4), from a strict JSON body or from headers, and their
 * translation into an Attempt. Unknown or wrongly typed fields are refused, as Nauthilus does.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { percentDecode } from '../credentials.js';
import { HttpError } from '../errors.js';
import type { HttpAttempt } from '../decide.js';
import { parseClientIp } from '../net.js';
import { mapProtocol } from '../protocol.js';

const USERNAME_MAX = 512;
const TEXT_MAX = 4096;
const ATTEMPT_MAX = 1_000_000;
const text = z.string().max(TEXT_MAX);
const SSL_FIELDS = [
  'ssl', 'ssl_session_id', 'ssl_client_verify', 'ssl_client_dn', 'ssl_client_cn', 'ssl_issuer', 'ssl_client_notbefore',
  'ssl_client_notafter', 'ssl_subject_dn', 'ssl_issuer_dn', 'ssl_client_subject_dn', 'ssl_client_issuer_dn',
  'ssl_protocol', 'ssl_cipher', 'ssl_serial', 'ssl_fingerprint',
] as const;

export const nauthilusBody = z.strictObject({
  username: z.string().max(USERNAME_MAX),
  password: text.optional(),
  client_ip: text.optional(),
  client_port: text.optional(),
  client_hostname: text.optional(),
  client_id: text.optional(),
  user_agent: text.optional(),
  local_ip: text.optional(),
  local_port: text.optional(),
  protocol: text.optional(),
  method: text.optional(),
  oidc_cid: text.optional(),
  auth_login_attempt: z.number().int().min(0).max(ATTEMPT_MAX).optional(),
  ...(Object.fromEntries(SSL_FIELDS.map((f) => [f, text.optional()])) as Record<(typeof SSL_FIELDS)[number], z.ZodOptional<z.ZodString>>),
});

export type NauthilusFields = z.infer<typeof nauthilusBody>;

/** The schema's fields and their limits, for the fast check below (-1: the attempt counter). */
const FIELD_LIMITS = new Map<string, number>(
  Object.keys(nauthilusBody.shape).map((f) => [f, f === 'username' ? USERNAME_MAX : f === 'auth_login_attempt' ? -1 : TEXT_MAX]),
);

/**
 * The schema's check for a well-formed body, without building a copy (zod costs ~1 µs per request):
 * known fields only, strings within their limits, the counter an integer in range, a username.
 * Anything else returns null and goes through the schema, which names what is wrong.
 */
function wellFormed(body: object): NauthilusFields | null {
  let username = false;
  for (const key of Object.keys(body)) {
    const limit = FIELD_LIMITS.get(key);
    if (limit === undefined) return null;
    const value: unknown = (body as Record<string, unknown>)[key];
    if (limit < 0) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > ATTEMPT_MAX) return null;
    } else if (typeof value !== 'string' || value.length > limit) {
      return null;
    }
    if (key === 'username') username = true;
  }
  return username ? (body as NauthilusFields) : null;
}

/** Parses a JSON body; the error names the field but never quotes a value. */
export function parseJsonFields(body: unknown): NauthilusFields {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid-body', 'expected a JSON object');
  }
  const fields = wellFormed(body);
  if (fields) return fields;
  const parsed = nauthilusBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new HttpError(400, 'unknown-field', `unknown field ${JSON.stringify(String(issue.keys[0]).slice(0, 64))}`);
  }
  const field = String(issue?.path[0] ?? 'body');
  if (!Object.hasOwn(body, field)) throw new HttpError(400, 'missing-field', `field "${field}" is required`);
  const expected = field === 'auth_login_attempt' ? 'a non-negative integer' : 'a string';
  throw new HttpError(400, 'invalid-field', `field "${field}" must be ${expected}`);
}

const HEADER_FIELDS: Record<string, keyof NauthilusFields> = {
  'auth-user': 'username',
  'auth-pass': 'password',
  'auth-protocol': 'protocol',
  'auth-method': 'method',
  'client-ip': 'client_ip',
  'client-port': 'client_port',
  'client-host': 'client_hostname',
  'client-id': 'client_id',
  'auth-user-agent': 'user_agent',
  'auth-ssl': 'ssl',
  'auth-ssl-protocol': 'ssl_protocol',
  'auth-ssl-cipher': 'ssl_cipher',
  'local-ip': 'local_ip',
  'local-port': 'local_port',
};

/** Header mode: Auth-User and Auth-Pass are percent-escaped like nginx's (non-ASCII cannot travel raw). */
export function parseHeaderFields(request: FastifyRequest): NauthilusFields {
  const fields: Record<string, string | number> = {};
  for (const [header, field] of Object.entries(HEADER_FIELDS)) {
    const value = request.headers[header];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new HttpError(400, 'invalid-header', `header ${header} must appear once`);
    fields[field] = value;
  }
  for (const field of ['username', 'password'] as const) {
    const raw = fields[field];
    if (typeof raw !== 'string') continue;
    const decoded = percentDecode(raw);
    if (decoded === null) throw new HttpError(400, 'invalid-escape', `header ${field === 'username' ? 'Auth-User' : 'Auth-Pass'} has a malformed percent-escape`);
    fields[field] = decoded;
  }
  const attempt = request.headers['auth-login-attempt'];
  if (typeof attempt === 'string') {
    if (!/^\d{1,7}$/.test(attempt)) throw new HttpError(400, 'invalid-header', 'header Auth-Login-Attempt must be a number');
    fields.auth_login_attempt = Number(attempt);
  }
  if (typeof fields.username !== 'string') throw new HttpError(400, 'missing-field', 'header Auth-User is required');
  return fields as unknown as NauthilusFields;
}

export function toAttempt(fields: NauthilusFields, mode: 'authenticate' | 'lookup', frontEnd: string): HttpAttempt {
  const protocol = mapProtocol(fields.protocol, 'http');
  if (protocol === null) throw new HttpError(400, 'unknown-protocol', 'field "protocol" names no protocol Portcullis knows');
  const clientIp = parseClientIp(fields.client_ip);
  if (clientIp === 'invalid') throw new HttpError(400, 'invalid-field', 'field "client_ip" must be an IP address');
  if (fields.username.trim() === '') throw new HttpError(400, 'missing-field', 'field "username" must not be empty');
  const deviceId = fields.client_id ?? fields.oidc_cid;
  return {
    login: fields.username,
    secret: mode === 'lookup' ? null : (fields.password ?? ''),
    mode,
    protocol,
    clientIp,
    tls: isOn(fields.ssl) || Boolean(fields.ssl_protocol),
    frontEnd,
    ...(fields.user_agent ? { userAgent: fields.user_agent } : {}),
    ...(deviceId ? { deviceId } : {}),
  };
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && ['on', 'true', '1', 'yes', 'ssl', 'tls'].includes(value.toLowerCase());
}

/** `?mode=no-auth` looks the account up without a password check. */
export function modeOf(request: FastifyRequest): 'authenticate' | 'lookup' {
  const mode = (request.query as Record<string, unknown> | undefined)?.mode;
  if (mode === undefined || mode === '' || mode === 'auth') return 'authenticate';
  if (mode === 'no-auth') return 'lookup';
  throw new HttpError(400, 'invalid-mode', 'query parameter "mode" must be "no-auth" when given');
}
