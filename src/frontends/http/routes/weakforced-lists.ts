/**
 * Weakforced's black/white-list, reset and stats commands, translated onto the guard's admin
 * operations. Shapes follow wforce's own handlers (wforce/wforce-web.cc): entries keyed "ip",
 * "login" or "iplogin" ("ip:login"), expirations in boost's simple time format.
 */
import { z } from 'zod';
import { InvalidTargetError, type Explanation, type GuardAdmin, type TargetInput } from '../../../guard/admin.js';
import type { ListEntry } from '../../../guard/state/state.js';
import { HttpError } from '../errors.js';

const entryBody = z.object({
  ip: z.string().max(64).optional(),
  netmask: z.string().max(64).optional(),
  login: z.string().max(512).optional(),
  expire_secs: z.union([z.number().int().min(0).max(365 * 86_400), z.string().regex(/^\d{1,8}$/).transform(Number)]).optional(),
  reason: z.string().max(256).optional(),
});

type EntryBody = z.infer<typeof entryBody>;

export function parseEntryBody(body: unknown, adding: boolean): EntryBody {
  const parsed = entryBody.safeParse(body ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid-field', `field "${String(parsed.error.issues[0]?.path[0] ?? 'body').slice(0, 64)}" has the wrong type or is out of range`);
  const e = parsed.data;
  if (e.ip === undefined && e.netmask === undefined && e.login === undefined) throw new HttpError(400, 'missing-field', 'must provide at least one of login, ip or netmask');
  if (adding && e.expire_secs === undefined) throw new HttpError(400, 'missing-field', 'missing mandatory expire_secs field');
  return e;
}

/** ip+login, a netmask, an address or a login, as wforce reads them. */
export function targetOf(e: EntryBody): TargetInput {
  if (e.netmask !== undefined && e.login === undefined) return { cidr: e.netmask };
  return { ...(e.ip !== undefined ? { ip: e.ip } : {}), ...(e.login !== undefined ? { login: e.login } : {}) };
}

/** Guard refusals of a target (bad address, a ban of a login alone) become 400s with the guard's message. */
export async function asBadRequest<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InvalidTargetError) throw new HttpError(400, 'invalid-target', err.message);
    throw err;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** boost::posix_time::to_simple_string, UTC: "2024-Jan-05 12:34:56"; "+infinity" for no expiry. */
export function boostTime(ms: number | null): string {
  if (ms === null) return '+infinity';
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function wforceEntry(e: ListEntry): Record<string, string> {
  const t = e.target;
  const key: [string, string] =
    t.kind === 'ip' ? ['ip', t.ip] : t.kind === 'cidr' ? ['ip', t.cidr] : t.kind === 'login' ? ['login', t.login] : ['iplogin', `${t.ip}:${t.login}`];
  return { [key[0]]: key[1], expiration: boostTime(e.expiresAt), reason: e.reason || e.rule };
}

export function listReply(admin: GuardAdmin, list: 'ban' | 'allow'): Record<string, unknown> {
  const entries = list === 'ban' ? admin.listBans() : admin.listAllows();
  return { [list === 'ban' ? 'bl_entries' : 'wl_entries']: entries.map(wforceEntry) };
}

/** getDBStats: one "db" per scope, one field per rule, the current count (wforce: db → field → int). */
export function dbStatsReply(e: Explanation, keyName: string, keyValue: string): Record<string, unknown> {
  const stats: Record<string, Record<string, number>> = {};
  for (const r of e.rules) (stats[r.scope] ??= {})[r.rule] = r.count;
  const ban = e.bans[0];
  const allow = e.allows[0];
  return {
    [keyName]: keyValue,
    whitelisted: e.allowListed,
    wl_reason: allow?.reason ?? '',
    wl_expire: allow ? boostTime(allow.expiresAt) : '',
    blacklisted: ban !== undefined,
    bl_reason: ban ? ban.reason || ban.rule : '',
    bl_expire: ban ? boostTime(ban.expiresAt) : '',
    stats,
  };
}
