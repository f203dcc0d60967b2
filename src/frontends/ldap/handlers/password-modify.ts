/**
 * Password Modify (RFC 3062), as OpenCloud's graph service and ldappasswd use it. A user changes
 * their own password and must prove the current primary password (checked by the pipeline, so
 * the guard sees it); a service account with the password-admin role may set anyone's. Without
 * newPasswd a password is generated and returned. The change goes through the identity service,
 * so the password policy and the audit trail apply.
 */
import { randomBytes } from 'node:crypto';
import type { User } from '../../../identity/model.js';
import { ValidationError } from '../../../identity/validate.js';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import { StoreNotFoundError } from '../../../store/store.js';
import { Roles } from '../access.js';
import {
  Dn,
  LdapCodecError,
  ResultCode,
  decodePasswordModifyRequest,
  passwordModifyResponse,
  utf8OrUndefined,
  type ExtendedRequest,
  type PasswordModifyRequest,
} from '../protocol/index.js';
import type { OpContext, Reply, Session } from '../session.js';
import { tlsRequired } from './bind.js';
import { result } from './results.js';

const fail = (code: number, message: string): Reply => result('extendedRequest', code, message);

export async function handlePasswordModify(ctx: OpContext, op: ExtendedRequest): Promise<Reply> {
  const { session } = ctx;
  const identity = session.identity;
  if (identity.kind === 'anonymous') return fail(ResultCode.unwillingToPerform, 'bind before changing a password');
  if (tlsRequired(session)) return fail(ResultCode.confidentialityRequired, REFUSALS['tls-required'].public);
  let request: PasswordModifyRequest;
  try {
    request = decodePasswordModifyRequest(op.requestValue);
  } catch (err) {
    return fail(err instanceof LdapCodecError ? err.resultCode : ResultCode.protocolError, 'malformed password modify request');
  }

  const target = request.userIdentity === undefined ? await selfUser(session) : await findTarget(session, request.userIdentity);
  const isSelf = identity.kind === 'user' && target?.id === identity.id;
  const isAdmin = identity.kind === 'service' && identity.roles.includes(Roles.passwordAdmin);
  if (!isSelf && !isAdmin) return fail(ResultCode.insufficientAccessRights, 'not allowed to change this password');
  if (!target) return fail(ResultCode.noSuchObject, 'no such user');

  if (isSelf) {
    const refusal = await checkOldPassword(ctx, target, request.oldPasswd);
    if (refusal) return refusal;
  }
  const generated = request.newPasswd === undefined ? generatePassword() : undefined;
  const newPassword = generated ?? utf8OrUndefined(request.newPasswd as Buffer);
  if (newPassword === undefined) return fail(ResultCode.constraintViolation, 'the new password must be UTF-8 text');

  const actor = { actor: `ldap:${identity.dn}`, source: session.remoteIp };
  try {
    await session.server.app.identity.setPassword(target.login, newPassword, actor);
  } catch (err) {
    if (err instanceof ValidationError) return fail(ResultCode.constraintViolation, err.expected);
    if (err instanceof StoreNotFoundError) return fail(ResultCode.noSuchObject, 'no such user');
    throw err;
  }
  session.server.app.log.info({ event: 'ldap.password-modify', by: identity.dn, target: target.login, generated: generated !== undefined }, 'password changed over LDAP');
  return { op: passwordModifyResponse({ resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' }, generated) };
}

async function selfUser(session: Session): Promise<User | null> {
  const identity = session.identity;
  return identity.kind === 'user' ? session.server.app.store.getUser(identity.id) : null;
}

/** userIdentity as a user DN, `dn:<dn>`, `u:<login>`, or a bare login or address. */
async function findTarget(session: Session, userIdentity: string): Promise<User | null> {
  let key = userIdentity.trim();
  if (key.startsWith('dn:')) key = key.slice(3);
  else if (key.startsWith('u:')) key = key.slice(2);
  if (key.includes('=')) {
    try {
      const located = session.server.directory.names.locate(Dn.parse(key));
      if (located.kind !== 'user') return null;
      key = located.login;
    } catch {
      return null;
    }
  }
  return key ? session.server.app.identity.findUser(key) : null;
}

/** Only the primary password proves the user (an app password or a token does not). */
async function checkOldPassword(ctx: OpContext, user: User, oldPasswd: Buffer | undefined): Promise<Reply | null> {
  const { session } = ctx;
  if (oldPasswd === undefined) return fail(ResultCode.unwillingToPerform, 'the current password is required');
  const decision = await session.server.app.pipeline.decide({
    login: user.login,
    secret: oldPasswd.toString('utf8'),
    mode: 'authenticate',
    accountKind: 'user',
    protocol: 'ldap',
    frontEnd: 'ldap',
    clientIp: null,
    relayIp: session.remoteIp,
    tls: session.tls,
    signal: ctx.signal,
  });
  if (decision.ok && decision.credential === 'password' && decision.account.id === user.id) return null;
  if (!decision.ok && REFUSALS[decision.reason].temporary) return fail(REFUSALS[decision.reason].ldap, REFUSALS[decision.reason].public);
  return fail(ResultCode.invalidCredentials, REFUSALS['invalid-credentials'].public);
}

/** 144 random bits, URL-safe: easy to paste, never of an app password's shape. */
function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
