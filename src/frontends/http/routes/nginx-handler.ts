/**
 * nginx mail auth_http (CONTRACTS.md §7, §10): headers in, headers out, status always 200. Only the
 * exact text OK means success; any other Auth-Status text is shown to the mail client verbatim.
 */
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../app.js';
import type { Config } from '../../../config/schema.js';
import type { Decision, Refused } from '../../../pipeline/decision.js';
import { REFUSALS, type RefusalReason } from '../../../pipeline/outcomes.js';
import { percentDecode } from '../credentials.js';
import { decide, type HttpAttempt } from '../decide.js';
import { parseClientIp } from '../net.js';
import { refusalWait } from './nauthilus-reply.js';

type MailProtocol = 'imap' | 'pop3' | 'smtp';
const MAIL_PROTOCOLS: readonly string[] = ['imap', 'pop3', 'smtp'];
/** Methods whose Auth-Pass is the plain password; apop and cram-md5 send digests we cannot check. */
const PLAIN_METHODS = new Set(['plain', 'login']);
/** nginx hangs until its timeout on a larger header block. */
export const NGINX_HEADER_LIMIT = 1024;

type Parsed = { ok: true; attempt: HttpAttempt; protocol: MailProtocol } | { ok: false; protocol: MailProtocol | null; reason: RefusalReason; detail: string; text?: string };

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function parseNginxRequest(request: FastifyRequest): Parsed {
  const protocolName = (header(request, 'auth-protocol') ?? '').toLowerCase();
  const protocol = MAIL_PROTOCOLS.includes(protocolName) ? (protocolName as MailProtocol) : null;
  if (protocol === null) return { ok: false, protocol, reason: 'temporary-failure', detail: 'missing or unknown Auth-Protocol' };
  const method = (header(request, 'auth-method') ?? 'plain').toLowerCase();
  if (!PLAIN_METHODS.has(method)) {
    return { ok: false, protocol, reason: 'invalid-credentials', detail: `unsupported Auth-Method ${method.slice(0, 16)}`, text: 'Authentication method not supported' };
  }
  const login = percentDecode(header(request, 'auth-user') ?? '');
  const secret = percentDecode(header(request, 'auth-pass') ?? '');
  if (login === null || secret === null) return { ok: false, protocol, reason: 'invalid-credentials', detail: 'malformed percent-escape in Auth-User or Auth-Pass' };
  const clientIp = parseClientIp(header(request, 'client-ip'));
  if (clientIp === 'invalid') return { ok: false, protocol, reason: 'temporary-failure', detail: 'Client-IP is not an IP address' };
  return {
    ok: true,
    protocol,
    attempt: { login, secret, mode: 'authenticate', protocol, clientIp, tls: header(request, 'auth-ssl') === 'on', frontEnd: 'nginx' },
  };
}

export async function handleNginx(app: App, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const parsed = parseNginxRequest(request);
  if (!parsed.ok) {
    request.log.info({ event: 'nginx.refused-request', reason: parsed.reason, detail: parsed.detail }, 'auth_http request refused before the pipeline');
    return refuse(reply, app.config, parsed.protocol, { reason: parsed.reason, delaySeconds: 0 }, parsed.text);
  }
  const decision: Decision = await decide(app, request, reply, parsed.attempt);
  if (!decision.ok) return refuse(reply, app.config, parsed.protocol, decision);
  const accepted = acceptedHeaders(app.config, parsed.protocol);
  if (!accepted) {
    request.log.error({ event: 'nginx.upstream-missing', protocol: parsed.protocol }, `no nginx.upstreams.${parsed.protocol} configured`);
    return refuse(reply, app.config, parsed.protocol, { reason: 'temporary-failure', delaySeconds: 0 });
  }
  return send(reply, accepted);
}

/** The answer to an accepted login, per configuration and protocol: built once (the configuration never changes). */
const ACCEPTED = new WeakMap<Config, Map<MailProtocol, Readonly<Record<string, string>> | null>>();

function acceptedHeaders(config: Config, protocol: MailProtocol): Readonly<Record<string, string>> | null {
  let byProtocol = ACCEPTED.get(config);
  if (!byProtocol) ACCEPTED.set(config, (byProtocol = new Map()));
  let headers = byProtocol.get(protocol);
  if (headers === undefined) {
    const upstream = config.nginx.upstreams[protocol];
    headers = upstream ? Object.freeze({ 'Auth-Status': 'OK', 'Auth-Server': upstream.host, 'Auth-Port': String(upstream.port) }) : null;
    byProtocol.set(protocol, headers);
  }
  return headers;
}

function refuse(
  reply: FastifyReply,
  config: Config,
  protocol: MailProtocol | null,
  refused: Pick<Refused, 'reason' | 'delaySeconds' | 'retryAfterSeconds'>,
  text?: string,
): FastifyReply {
  const refusal = REFUSALS[refused.reason];
  const headers: Record<string, string> = {
    'Auth-Status': text ?? refusal.nginx,
    'Auth-Wait': String(refusalWait(refused as Refused, config)),
  };
  if (protocol === 'smtp') headers['Auth-Error-Code'] = refusal.temporary ? '454 4.7.0' : '535 5.7.8';
  return send(reply, headers);
}

function send(reply: FastifyReply, headers: Readonly<Record<string, string>>): FastifyReply {
  return reply.code(200).headers(headers).send();
}

/** Start-up check: Auth-Server must be an IP literal, or nginx drops the client. */
export function checkUpstreams(config: Config): { problems: string[]; missing: MailProtocol[] } {
  const problems: string[] = [];
  const missing: MailProtocol[] = [];
  for (const protocol of MAIL_PROTOCOLS as MailProtocol[]) {
    const upstream = config.nginx.upstreams[protocol];
    if (!upstream) missing.push(protocol);
    else if (isIP(upstream.host) === 0) problems.push(`nginx.upstreams.${protocol}.host must be an IP address, not "${upstream.host}"`);
  }
  return { problems, missing };
}
