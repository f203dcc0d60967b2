/**
 * Simple bind, decided by the one pipeline. Anonymous (empty name and password) succeeds as
 * anonymous; an empty password with a name never authenticates (RFC 4513 unauthenticated bind,
 * CONTRACTS §1); SASL is not supported. Any failure leaves the connection anonymous.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Attempt } from '../../../pipeline/attempt.js';
import type { Decision } from '../../../pipeline/decision.js';
import { REFUSALS } from '../../../pipeline/outcomes.js';
import { bindTarget } from '../bind-dn.js';
import { ResultCode, type BindRequest } from '../protocol/index.js';
import { ANONYMOUS, type BoundIdentity, type OpContext, type Reply, type Session } from '../session.js';
import { result } from './results.js';

export async function handleBind(ctx: OpContext, op: BindRequest): Promise<Reply> {
  const { session } = ctx;
  // Whatever happens below, the previous identity is gone (RFC 4511 §4.2.1).
  session.identity = ANONYMOUS;
  if (op.version !== 3) return result('bindRequest', ResultCode.protocolError, 'only LDAPv3 is supported');
  if (op.authentication.kind !== 'simple') return result('bindRequest', ResultCode.authMethodNotSupported, 'only simple bind is supported');
  // Invalid UTF-8 cannot equal a stored (UTF-8) password; the lossy text fails like a wrong one.
  const password = op.authentication.password.toString('utf8');
  if (op.name === '' && password === '') return result('bindRequest', ResultCode.success);
  if (op.name === '') return result('bindRequest', ResultCode.invalidCredentials, REFUSALS['invalid-credentials'].public);
  if (tlsRequired(session)) return result('bindRequest', ResultCode.confidentialityRequired, REFUSALS['tls-required'].public);

  const target = bindTarget(op.name, session.server.directory.names);
  const attempt: Attempt = {
    login: target.login,
    secret: password,
    mode: 'authenticate',
    accountKind: target.accountKind,
    protocol: 'ldap',
    frontEnd: 'ldap',
    clientIp: null, // Stalwart and Dovecot never tell us who their client is
    relayIp: session.remoteIp,
    tls: session.tls,
    signal: ctx.signal,
  };
  const decision = await session.server.app.pipeline.decide(attempt);
  await holdFor(decision.delaySeconds, ctx.signal);
  logBind(session, op.name, decision);
  if (!decision.ok) {
    const refusal = REFUSALS[decision.reason];
    return result('bindRequest', refusal.ldap, refusal.public);
  }
  session.identity = identityOf(session, decision);
  return result('bindRequest', ResultCode.success);
}

export function tlsRequired(session: Session): boolean {
  return session.server.app.config.ldap.requireTlsForBind && !session.tls && !session.server.plainBindAllowed(session.remoteIp);
}

function identityOf(session: Session, decision: Extract<Decision, { ok: true }>): BoundIdentity {
  const names = session.server.directory.names;
  const { account } = decision;
  if (account.kind === 'service') return { kind: 'service', dn: names.serviceDn(account.uid), name: account.uid, roles: account.roles };
  return { kind: 'user', dn: names.userDn(account.uid), login: account.uid, id: account.id, roles: account.roles };
}

/** The guard's tarpit: answer only after the delay (or when the client has gone). */
async function holdFor(seconds: number, signal: AbortSignal): Promise<void> {
  if (seconds <= 0) return;
  await sleep(seconds * 1000, undefined, { signal }).catch(() => undefined);
}

function logBind(session: Session, dn: string, decision: Decision): void {
  if (decision.ok && !session.server.app.log.isLevelEnabled('debug')) return; // not even build the line
  const fields = {
    event: 'ldap.bind',
    dn,
    relayIp: session.remoteIp,
    tls: session.tls,
    decisionId: decision.decisionId,
    outcome: decision.ok ? 'accepted' : 'refused',
    ...(decision.ok ? { credential: decision.credential, cached: decision.cached } : { reason: decision.reason }),
  };
  if (decision.ok) session.server.app.log.debug(fields, 'ldap bind');
  else session.server.app.log.info(fields, 'ldap bind refused');
}
