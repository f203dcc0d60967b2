/** Nauthilus-style answers: status and body from the one refusal catalogue, results also in headers. */
import type { FastifyReply } from 'fastify';
import type { Config } from '../../../config/schema.js';
import type { Account, Decision, Refused } from '../../../pipeline/decision.js';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import { headerSafe } from '../credentials.js';

/** The attribute that names the account, as Nauthilus's `account_field`. */
export const ACCOUNT_FIELD = 'uid';

export function attributesOf(account: Account): Record<string, string[]> {
  return {
    uid: [account.uid],
    mail: account.mail ? [account.mail] : [],
    mailAlias: account.aliases,
    displayName: [account.displayName],
    memberOf: account.groups,
    roles: account.roles,
    entryUUID: [account.id],
  };
}

export function refusalWait(refused: Refused, config: Config): number {
  if (refused.delaySeconds > 0) return refused.delaySeconds;
  return refused.retryAfterSeconds ?? config.nginx.retryWaitSeconds;
}

/** Success bodies of frozen accounts (one object while the store's cache holds the user): serialised once. */
const successBodies = new WeakMap<Account, string>();

function successBody(account: Account): string {
  let body = successBodies.get(account);
  if (body === undefined) {
    body = JSON.stringify({ ok: true, account_field: ACCOUNT_FIELD, attributes: attributesOf(account) });
    if (Object.isFrozen(account)) successBodies.set(account, body);
  }
  return body;
}

export function replyJson(reply: FastifyReply, decision: Decision, config: Config): FastifyReply {
  if (decision.ok) {
    reply.header('Auth-Status', 'OK').header('Auth-User', headerSafe(decision.account.uid));
    return reply.code(200).type('application/json; charset=utf-8').send(successBody(decision.account));
  }
  const refusal = REFUSALS[decision.reason];
  reply.header('Auth-Status', refusal.nginx).header('Auth-Wait', String(refusalWait(decision, config)));
  if (decision.retryAfterSeconds !== undefined) reply.header('Retry-After', String(decision.retryAfterSeconds));
  if (refusal.temporary) return reply.code(refusal.http).send({ error: decision.reason, message: refusal.public });
  return reply.code(refusal.http).send({ ok: false, error: decision.reason, message: refusal.public });
}

/** Header mode: the same status codes, with the account's attributes as X-Portcullis-* headers. */
export function replyHeaders(reply: FastifyReply, decision: Decision, config: Config): FastifyReply {
  if (!decision.ok) return replyJson(reply, decision, config);
  const { account } = decision;
  reply.header('Auth-Status', 'OK').header('Auth-User', headerSafe(account.uid));
  if (account.mail) reply.header('X-Portcullis-Mail', headerSafe(account.mail));
  reply.header('X-Portcullis-Display-Name', headerSafe(account.displayName));
  if (account.groups.length > 0) reply.header('X-Portcullis-Groups', account.groups.map(headerSafe).join(','));
  if (account.roles.length > 0) reply.header('X-Portcullis-Roles', account.roles.map(headerSafe).join(','));
  return reply.code(200).send();
}
