/** Trusted token issuers and the audit log. */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, TrustedIssuer } from '../../identity/model.js';
import {
  StoreNotFoundError,
  type AuditFilter,
  type NewAuditEntry,
  type NewTrustedIssuer,
  type TrustedIssuerPatch,
} from '../store.js';
import { likePattern, mapConflicts, pageLimit, single, type Param, type SqlConn } from './conn.js';
import { toAudit, toTrustedIssuer, type AuditRow, type TrustedIssuerRow } from './rows.js';
import { lockRow } from './users.js';

const ISSUER_COLS = `name = ?, issuer = ?, audiences = ?, jwks_uri = ?, algorithms = ?, account_claim = ?,
  introspection_url = ?, client_id = ?, client_secret = ?, leeway_seconds = ?, enabled = ?, updated_at = ?`;

const issuerParams = (i: NewTrustedIssuer, now: Date): Param[] => [
  i.name, i.issuer, JSON.stringify(i.audiences), i.jwksUri, JSON.stringify(i.algorithms), i.accountClaim,
  i.introspectionUrl, i.clientId, i.clientSecret, i.leewaySeconds, i.enabled, now,
];

export function createTrustedIssuer(c: SqlConn, input: NewTrustedIssuer): Promise<TrustedIssuer> {
  const now = new Date();
  const issuer: TrustedIssuer = { ...input, id: randomUUID(), createdAt: now, updatedAt: now };
  const sql = `INSERT INTO trusted_issuers (name, issuer, audiences, jwks_uri, algorithms, account_claim,
    introspection_url, client_id, client_secret, leeway_seconds, enabled, updated_at, id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return single(c, (t) =>
    mapConflicts(t.run(sql, [...issuerParams(input, now), issuer.id, now]), {
      'trusted_issuers.issuer': ['issuer', input.issuer],
    }),
  ).then(() => issuer);
}

async function getTrustedIssuer(c: SqlConn, id: string): Promise<TrustedIssuer> {
  const row = await c.get<TrustedIssuerRow>('SELECT * FROM trusted_issuers WHERE id = ?', [id]);
  if (!row) throw new StoreNotFoundError('issuer', id);
  return toTrustedIssuer(row);
}

export function updateTrustedIssuer(c: SqlConn, id: string, patch: TrustedIssuerPatch): Promise<TrustedIssuer> {
  return c.transaction(async (t) => {
    await lockRow(t, 'trusted_issuers', id);
    const { id: _id, createdAt: _c, updatedAt: _u, ...cur } = await getTrustedIssuer(t, id);
    const next: NewTrustedIssuer = { ...cur, ...definedOnly(patch) };
    await mapConflicts(t.run(`UPDATE trusted_issuers SET ${ISSUER_COLS} WHERE id = ?`, [...issuerParams(next, new Date()), id]), {
      'trusted_issuers.issuer': ['issuer', next.issuer],
    });
    return getTrustedIssuer(t, id);
  });
}

/** `{ x: undefined }` in a patch means "leave x alone", as for the other entities. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function deleteTrustedIssuer(c: SqlConn, id: string): Promise<void> {
  if ((await c.run('DELETE FROM trusted_issuers WHERE id = ?', [id])) === 0) throw new StoreNotFoundError('issuer', id);
}

export async function listTrustedIssuers(c: SqlConn): Promise<TrustedIssuer[]> {
  return (await c.all<TrustedIssuerRow>('SELECT * FROM trusted_issuers ORDER BY name, issuer')).map(toTrustedIssuer);
}

export async function appendAudit(c: SqlConn, entry: NewAuditEntry): Promise<AuditEntry> {
  const row = await c.get<AuditRow>(
    'INSERT INTO audit_log (at, actor, action, target, source, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
    [entry.at ?? new Date(), entry.actor, entry.action, entry.target, entry.source, JSON.stringify(entry.detail)],
  );
  if (!row) throw new Error('audit insert returned no row');
  return toAudit(row);
}

/** Exact actor/action/target, `at >= since`; Page.query is a substring of actor or target. Newest first. */
export async function listAudit(c: SqlConn, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const terms: string[] = [];
  const params: Param[] = [];
  for (const key of ['actor', 'action', 'target'] as const) {
    const value = filter[key];
    if (value !== undefined) {
      terms.push(`${key} = ?`);
      params.push(value);
    }
  }
  if (filter.since) {
    terms.push('at >= ?');
    params.push(filter.since);
  }
  if (filter.query) {
    terms.push(`(lower(actor) LIKE ? ESCAPE '\\' OR lower(target) LIKE ? ESCAPE '\\')`);
    params.push(likePattern(filter.query), likePattern(filter.query));
  }
  const where = terms.length ? `WHERE ${terms.join(' AND ')}` : '';
  const rows = await c.all<AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, [
    ...params,
    pageLimit(filter.limit),
    Math.max(0, Math.trunc(filter.offset ?? 0)),
  ]);
  return rows.map(toAudit);
}
