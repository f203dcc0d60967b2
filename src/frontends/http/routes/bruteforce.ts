/**
 * Nauthilus's brute-force endpoints (CONTRACTS.md §4) over the guard's bans. Shapes from
 * Nauthilus 3.x (server/core/rest.go handleBruteForceList / HandleBruteForceFlush,
 * server/model/bruteforce/{list,rules}.go, server/model/rest/result.go): a Result envelope
 * `{session, object: "bruteforce", operation, result}`; list results are
 * `[{entries: [{network, bucket, ban_time, ttl, banned_at}]}, {accounts: {login: [ip…]}, error}]`,
 * durations in nanoseconds (Go's time.Duration); flush answers a FlushRuleCmdStatus.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { GuardAdmin } from '../../../guard/admin.js';
import type { ListEntry } from '../../../guard/state/state.js';
import type { App } from '../../../app.js';
import { requireCaller } from '../callers.js';
import { HttpError } from '../errors.js';
import type { RouteModule } from './context.js';
import { asBadRequest } from './weakforced-lists.js';

const NS_PER_MS = 1_000_000;
const MAX_FILTER = 1000;

const filterBody = z
  .strictObject({
    accounts: z.array(z.string().max(512)).max(MAX_FILTER).optional(),
    ip_addresses: z.array(z.string().max(64)).max(MAX_FILTER).optional(),
  })
  .optional();

const flushBody = z.strictObject({
  ip_address: z.string().max(64),
  rule_name: z.string().min(1).max(64),
  protocol: z.string().max(64).optional(),
  oidc_cid: z.string().max(256).optional(),
});

function adminOf(app: App): GuardAdmin {
  if (!app.guardAdmin) throw new HttpError(503, 'guard-disabled', 'attack detection is not running here');
  return app.guardAdmin;
}

function envelope(operation: 'list' | 'flush', result: unknown): Record<string, unknown> {
  return { session: randomUUID(), object: 'bruteforce', operation, result };
}

function networkOf(e: ListEntry): string | null {
  const t = e.target;
  if (t.kind === 'cidr') return t.cidr;
  if (t.kind === 'ip') return `${t.ip}/${isIP(t.ip) === 6 ? 128 : 32}`;
  return null;
}

function banEntry(e: ListEntry, now: number): Record<string, unknown> {
  const network = networkOf(e) ?? '';
  const out: Record<string, unknown> = { network, bucket: e.rule, banned_at: new Date(e.createdAt).toISOString() };
  if (e.expiresAt !== null) {
    out['ban_time'] = (e.expiresAt - e.createdAt) * NS_PER_MS;
    out['ttl'] = Math.max(0, e.expiresAt - now) * NS_PER_MS;
  }
  return out;
}

/** Address bans as Nauthilus "entries"; ip+login bans as its blocked "accounts" (login → addresses). */
function listResult(bans: ListEntry[], filter: z.infer<typeof filterBody>): unknown[] {
  const now = Date.now();
  const ips = filter?.ip_addresses?.map((s) => s.trim());
  const accounts = filter?.accounts?.map((s) => s.trim().toLowerCase());
  const entries = bans.filter((e) => networkOf(e) !== null && (!ips || ips.some((ip) => matchesIp(e, ip)))).map((e) => banEntry(e, now));
  const byAccount: Record<string, string[]> = {};
  for (const e of bans) {
    if (e.target.kind !== 'iplogin' || (accounts && !accounts.includes(e.target.login))) continue;
    (byAccount[e.target.login] ??= []).push(e.target.ip);
  }
  return [{ entries }, { accounts: byAccount, error: null }];
}

function matchesIp(e: ListEntry, ip: string): boolean {
  const t = e.target;
  return (t.kind === 'ip' && t.ip === ip) || (t.kind === 'cidr' && (t.cidr === ip || t.cidr.split('/')[0] === ip));
}

export const bruteforceRoutes: RouteModule = {
  name: 'nauthilus-bruteforce',
  register(http, { app, callers }) {
    const preHandler = requireCaller(callers, { endpoints: ['nauthilus'] });

    http.get('/api/v1/bruteforce/list', { preHandler }, async () => envelope('list', listResult(adminOf(app).listBans(), undefined)));
    http.post('/api/v1/bruteforce/list', { preHandler }, async (request) => {
      const parsed = filterBody.safeParse(request.body ?? undefined);
      if (!parsed.success) throw new HttpError(400, 'invalid-body', `expected {"accounts": [...], "ip_addresses": [...]} with at most ${MAX_FILTER} items each`);
      return envelope('list', listResult(adminOf(app).listBans(), parsed.data));
    });

    http.delete('/api/v1/bruteforce/flush', { preHandler }, async (request) => {
      const parsed = flushBody.safeParse(request.body);
      if (!parsed.success) throw new HttpError(400, 'invalid-body', 'expected {"ip_address": "<ip>", "rule_name": "<rule>|*"}');
      const { ip_address, rule_name, protocol, oidc_cid } = parsed.data;
      if (isIP(ip_address.trim()) === 0) throw new HttpError(400, 'invalid-field', 'field "ip_address" must be an IP address');
      // "*" lifts every ban of the address, as flushing each rule in turn would.
      const removed = await asBadRequest(() => adminOf(app).flush({ ip: ip_address.trim(), ...(rule_name === '*' ? {} : { rule: rule_name }) }));
      request.log.info({ event: 'guard.flush', caller: request.caller, ip: ip_address, rule: rule_name, lifted: removed.length }, 'brute-force flush');
      const removedKeys = removed.map((e) => e.id).sort();
      return envelope('flush', {
        ip_address,
        rule_name,
        ...(protocol ? { protocol } : {}),
        ...(oidc_cid ? { oidc_cid } : {}),
        removed_keys: removedKeys,
        status: removedKeys.length === 0 ? 'not flushed' : `${removedKeys.length} keys flushed`,
      });
    });
  },
};
