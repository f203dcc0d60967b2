/** How entities leave the web APIs: never a hash, a secret or an internal counter. */
import type { AuditEntry } from '../../identity/model.js';
export { publicAppPassword, publicGroup, publicServiceAccount, publicUser } from '../../identity/views.js';
import type { ListEntry } from '../../guard/state/state.js';
import type { LoginRecord } from '../../store/web-store.js';

export function publicAudit(e: AuditEntry) {
  return { id: e.id, at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, source: e.source, detail: e.detail };
}

export function publicEntry(e: ListEntry) {
  return {
    id: e.id,
    list: e.list,
    target: e.target,
    rule: e.rule,
    reason: e.reason,
    createdAt: new Date(e.createdAt).toISOString(),
    expiresAt: e.expiresAt === null ? null : new Date(e.expiresAt).toISOString(),
    offences: e.offences,
  };
}

export function publicLogin(r: LoginRecord) {
  return { at: r.at.toISOString(), protocol: r.protocol, frontEnd: r.frontEnd, clientIp: r.clientIp, success: r.success, detail: r.detail };
}
