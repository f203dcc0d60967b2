/**
 * Bans pushed into Stalwart's own blocked-IP list through its admin API.
 *
 * What Stalwart's source says (github.com/stalwartlabs/stalwart, read at d72608f3 and v0.15.5):
 *
 * 0.16 — blocked addresses are registry objects, `BlockedIp` (crates/registry/src/schema/structs.rs:
 * `address` (IpAddrOrMask, "203.0.113.7" or "203.0.113.0/24", a unique index), `reason`
 * (BlockReason: "authFailure", "manual", …; crates/registry/src/schema/enums_impl.rs), `createdAt`,
 * `expiresAt` (UTCDateTime or null)). They are managed over JMAP (POST /jmap, Content-Type
 * application/json) with the registry methods `x:<Object>/get|set|query`
 * (crates/jmap-proto/src/request/method.rs), which need the capability "urn:stalwart:jmap"; the
 * set's accountId is optional (crates/jmap-proto/src/method/set.rs). Stalwart writes the same
 * object itself when it bans (crates/common/src/network/security.rs). An unban is a query on
 * `address` and a destroy of the ids found (a JMAP back-reference). *Verify against a live 0.16*:
 * the query filter's JSON form was inferred from crates/jmap/src/registry/query.rs.
 *
 * 0.15 and older — config keys `server.blocked-ip.<ip>` with an empty value
 * (crates/common/src/listener/blocked.rs, block_ip), written with POST /api/settings and a body
 * `[{"type":"insert","prefix":null,"values":[[key,""]],"assert_empty":false}]`, removed with
 * `[{"type":"delete","keys":[key]}]` (crates/http/src/management/settings.rs, UpdateSettings),
 * then GET /api/reload/server.blocked-ip applies them (crates/http/src/management/reload.rs).
 * Those keys carry no expiry: the unban removes them when the ban ends here.
 */
import type { PushOutConfig } from '../../config/sections/guard-io.js';
import type { BanChange, PushTarget } from './targets.js';

type StalwartConfig = NonNullable<PushOutConfig['stalwart']>;

const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'];

function authorization(config: StalwartConfig): string {
  if (config.apiKey !== undefined) return `Bearer ${config.apiKey}`;
  return `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`).toString('base64')}`;
}

/** The JMAP request for one change (0.16). */
export function jmapRequest(change: BanChange): Record<string, unknown> {
  if (change.type === 'ban') {
    const blocked = { address: change.address, reason: change.rule === 'admin' || change.rule === 'api' ? 'manual' : 'authFailure', createdAt: change.at, expiresAt: change.expiresAt };
    return { using: USING, methodCalls: [['x:BlockedIp/set', { create: { portcullis: blocked } }, 'c0']] };
  }
  return {
    using: USING,
    methodCalls: [
      ['x:BlockedIp/query', { filter: { address: change.address } }, 'q0'],
      ['x:BlockedIp/set', { '#destroy': { resultOf: 'q0', name: 'x:BlockedIp/query', path: '/ids' } }, 'c0'],
    ],
  };
}

/** The settings update for one change (0.15 and older). */
export function settingsRequest(change: BanChange): unknown[] {
  const key = `server.blocked-ip.${change.address}`;
  return change.type === 'ban' ? [{ type: 'insert', prefix: null, values: [[key, '']], assert_empty: false }] : [{ type: 'delete', keys: [key] }];
}

export function stalwartTarget(config: StalwartConfig): PushTarget {
  const base = config.url.replace(/\/+$/, '');
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: authorization(config), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Stalwart ${method} ${path} answered ${res.status}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  return {
    name: 'stalwart',
    // Stalwart's own bans (mirrored here from its webhooks) are already in its list.
    wants: (change) => !change.rule.startsWith('stalwart-'),
    async deliver(change) {
      if (config.api === '0.16') {
        const reply = await call('POST', '/jmap', jmapRequest(change));
        const failure = jmapFailure(reply);
        if (failure) throw new Error(`Stalwart refused x:BlockedIp/set: ${failure}`);
        return;
      }
      await call('POST', '/api/settings', settingsRequest(change));
      await call('GET', '/api/reload/server.blocked-ip');
    },
  };
}

/**
 * A method-level error, or a create that was not created. An address already blocked (the unique
 * index) is success: the ban holds either way.
 */
export function jmapFailure(reply: unknown): string | null {
  const responses = (reply as { methodResponses?: unknown } | null)?.methodResponses;
  if (!Array.isArray(responses)) return 'no methodResponses';
  for (const r of responses) {
    if (!Array.isArray(r)) continue;
    const [name, args] = r as [string, Record<string, unknown>];
    if (name === 'error') return String(args?.['type'] ?? 'error');
    const notCreated = args?.['notCreated'] as Record<string, { type?: string }> | undefined;
    const problem = notCreated ? Object.values(notCreated)[0] : undefined;
    if (problem && problem.type !== 'alreadyExists') return problem.type ?? 'notCreated';
  }
  return null;
}
