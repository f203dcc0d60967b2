/**
 * The Weakforced-compatible policy API (CONTRACTS.md §5, §6), as Dovecot's auth policy client uses
 * it: `POST /?command=<cmd>` and `/command/<cmd>`. A policy-only front end: no password is checked
 * here; `allow` asks the guard's pre-check and `report` feeds the guard's counters.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../app.js';
import type { GuardAdmin } from '../../../guard/admin.js';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import type { AttemptOutcome, GuardVerdict } from '../../../pipeline/ports.js';
import { requireCaller } from '../callers.js';
import { HttpError } from '../errors.js';
import { normalizeIp } from '../net.js';
import type { RouteModule } from './context.js';
import { policyCounter } from './guard-metrics.js';
import { asBadRequest, dbStatsReply, listReply, parseEntryBody, targetOf } from './weakforced-lists.js';
import { countedFailure, parseTuple, toPolicyAttempt } from './weakforced-tuple.js';

type Handler = (app: App, request: FastifyRequest) => Promise<Record<string, unknown>>;

const OK = { status: 'ok' };

function adminOf(app: App): GuardAdmin {
  if (!app.guardAdmin) throw new HttpError(503, 'guard-disabled', 'attack detection is not running here');
  return app.guardAdmin;
}

/** -1 reject, 0 allow, N > 0 delay N seconds; the message is the public text only. */
function allowReply(verdict: GuardVerdict): { status: number; msg: string; r_attrs: Record<string, string> } {
  if (verdict.action === 'allow') return { status: 0, msg: '', r_attrs: {} };
  if (verdict.action === 'delay') return { status: verdict.seconds, msg: '', r_attrs: {} };
  return { status: -1, msg: REFUSALS[verdict.reason].public, r_attrs: {} };
}

const allow: Handler = async (app, request) => {
  const attempt = toPolicyAttempt(parseTuple(request.body), normalizeIp(request.socket.remoteAddress));
  const verdict = await app.guard.precheck(attempt);
  const reply = allowReply(verdict);
  const fields = { event: 'policy.allow', login: attempt.login, clientIp: attempt.clientIp, relayIp: attempt.relayIp, protocol: attempt.protocol, status: reply.status };
  if (verdict.action === 'allow') request.log.debug(fields, 'policy allow');
  else request.log.info({ ...fields, rule: verdict.rule, action: verdict.action }, `policy ${verdict.action} by rule ${verdict.rule}`);
  return reply;
};

/**
 * The end of a login: counted like the pipeline's outcomes. The wrong-password fingerprint is an
 * HMAC of Dovecot's truncated `pwhash` under the server key: it tells one wrong password from
 * another for the same login without revealing either, but it never equals the pipeline's own
 * fingerprints (those are HMACs of the password itself), so a password seen both ways counts twice.
 */
const report: Handler = async (app, request) => {
  const tuple = parseTuple(request.body);
  const attempt = toPolicyAttempt(tuple, normalizeIp(request.socket.remoteAddress));
  const success = tuple.success === true;
  const counted = success || countedFailure(tuple);
  const fingerprint = !success && counted && tuple.pwhash ? app.keyed.fingerprint(attempt.login, `dovecot-pwhash:${tuple.pwhash}`) : null;
  const outcome: AttemptOutcome = { success, counted, account: null, secretFingerprint: fingerprint, ...(success ? {} : { reason: 'invalid-credentials' as const }) };
  await app.guard.record(attempt, outcome);
  request.log.debug({ event: 'policy.report', login: attempt.login, clientIp: attempt.clientIp, success, counted, failType: tuple.fail_type ?? null }, 'policy report');
  return OK;
};

const listChange =
  (list: 'ban' | 'allow', adding: boolean): Handler =>
  async (app, request) => {
    const admin = adminOf(app);
    const body = parseEntryBody(request.body, adding);
    const target = targetOf(body);
    await asBadRequest(async () => {
      if (adding && list === 'ban') await admin.addBan({ ...target, ttlSeconds: body.expire_secs ?? 0, ...(body.reason ? { reason: body.reason } : {}), rule: 'api' });
      else if (adding) await admin.addAllow({ ...target, ttlSeconds: body.expire_secs ?? 0, ...(body.reason ? { reason: body.reason } : {}) });
      else if (list === 'ban') await admin.removeBan(target);
      else await admin.removeAllow(target);
    });
    request.log.info({ event: `policy.${adding ? 'add' : 'del'}-${list === 'ban' ? 'bl' : 'wl'}`, caller: request.caller, target }, 'policy list changed');
    return OK;
  };

const reset: Handler = async (app, request) => {
  const body = parseEntryBody(request.body, false);
  const removed = await asBadRequest(() => adminOf(app).reset({ ...(body.ip !== undefined ? { ip: body.ip } : {}), ...(body.login !== undefined ? { login: body.login } : {}) }));
  request.log.info({ event: 'policy.reset', caller: request.caller, ip: body.ip ?? null, login: body.login ?? null, bansLifted: removed.length }, 'policy reset');
  return OK;
};

const dbStats: Handler = async (app, request) => {
  const body = parseEntryBody(request.body, false);
  const admin = adminOf(app);
  if (body.ip !== undefined) {
    const e = await asBadRequest(() => admin.explain(body.ip ?? '', body.login));
    return body.login !== undefined ? dbStatsReply(e, 'ip_login', `${body.ip}:${body.login}`) : dbStatsReply(e, 'ip', body.ip ?? '');
  }
  return dbStatsReply(await admin.explain(body.login ?? ''), 'login', body.login ?? '');
};

/** Each command and whether GET is accepted besides POST (wforce registers these as GET). */
const COMMANDS: Record<string, { handler: Handler; get: boolean }> = {
  allow: { handler: allow, get: false },
  report: { handler: report, get: false },
  reset: { handler: reset, get: false },
  addBLEntry: { handler: listChange('ban', true), get: false },
  delBLEntry: { handler: listChange('ban', false), get: false },
  addWLEntry: { handler: listChange('allow', true), get: false },
  delWLEntry: { handler: listChange('allow', false), get: false },
  getBL: { handler: async (app) => listReply(adminOf(app), 'ban'), get: true },
  getWL: { handler: async (app) => listReply(adminOf(app), 'allow'), get: true },
  getDBStats: { handler: dbStats, get: false },
  ping: { handler: async () => OK, get: true },
};

function answerOf(command: string, body: Record<string, unknown>): string {
  if (command !== 'allow') return 'ok';
  const status = body['status'];
  return status === 0 ? 'allow' : status === -1 ? 'reject' : 'delay';
}

export const weakforcedRoutes: RouteModule = {
  name: 'weakforced',
  register(http, { app, callers }) {
    const preHandler = requireCaller(callers, { endpoints: ['weakforced'] });
    const counter = policyCounter(app.metrics.registry);

    const run = async (command: string | undefined, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
      if (!known || command === undefined || (request.method === 'GET' && !known.get)) {
        counter.inc({ command: 'unknown', answer: 'failure' });
        return reply.code(404).send({ status: 'failure', reason: 'Not found' });
      }
      try {
        const body = await known.handler(app, request);
        counter.inc({ command, answer: answerOf(command, body) });
        return reply.code(200).send(body);
      } catch (err) {
        counter.inc({ command, answer: 'failure' });
        // wforce's error shape; Dovecot treats any failure as "allow" unless auth_policy_reject_on_fail.
        if (err instanceof HttpError) return reply.code(err.statusCode).send({ status: 'failure', reason: err.message });
        request.log.error({ event: 'policy.failed', command, err }, 'policy command failed');
        return reply.code(500).send({ status: 'failure', reason: 'internal error' });
      }
    };

    // GET / is the web UI's redirect, so the query form is POST only (all Dovecot sends); /command/<cmd> takes both.
    http.post('/', { preHandler }, (request, reply) => run(commandParam(request), request, reply));
    http.post('/command/:command', { preHandler }, (request, reply) => run((request.params as { command: string }).command, request, reply));
    http.get('/command/:command', { preHandler }, (request, reply) => run((request.params as { command: string }).command, request, reply));
  },
};

function commandParam(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.['command'];
  return typeof value === 'string' ? value : undefined;
}
