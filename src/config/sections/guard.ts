/**
 * Attack detection: counting rules, bans, allow-lists, trusted relays and DNSBL lists. The default
 * rules below are the reference: what each counts, over which window, and what it answers.
 */
import { z } from 'zod';
import { cidr } from './common.js';

const seconds = (max: number) => z.number().int().min(1).max(max);

/** What a rule counts, and for whom. Failures are wrong secrets; an identical wrong secret repeated counts once. */
export const RULE_SCOPES = ['ip', 'network', 'account', 'ip+account'] as const;
export const RULE_COUNTS = ['failures', 'distinct-accounts', 'distinct-fingerprints', 'distinct-ips'] as const;

const delayAction = z.object({
  type: z.literal('delay'),
  seconds: seconds(600),
  /** Grow the delay with the count: seconds × count / threshold, up to maxSeconds. */
  proportional: z.boolean().default(false),
  maxSeconds: seconds(600).default(15),
});

const banAction = z.object({
  type: z.literal('ban'),
  /** First ban; repeat offenders get ttl × bans.escalationFactor^(n-1), capped by bans.maxTtlSeconds. */
  ttlSeconds: seconds(30 * 86_400),
});

const rule = z
  .object({
    /** Carried by every refusal and delay, in logs (guard.ban), metrics and API answers. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'rule names are lowercase letters, digits and dashes'),
    enabled: z.boolean().default(true),
    scope: z.enum(RULE_SCOPES),
    counts: z.enum(RULE_COUNTS),
    windowSeconds: seconds(7 * 86_400),
    /** The answer applies once the count reaches this. */
    threshold: z.number().int().min(1).max(100_000),
    action: z.discriminatedUnion('type', [delayAction, banAction]),
  })
  .superRefine((r, ctx) => {
    // An attacker must never be able to lock a real user out: accounts are slowed, never banned.
    if (r.scope === 'account' && r.action.type === 'ban') {
      ctx.addIssue({ code: 'custom', path: ['action'], message: `rule ${r.name}: account rules may only delay (bans are per IP or network)` });
    }
    if (r.counts === 'distinct-accounts' && (r.scope === 'account' || r.scope === 'ip+account')) {
      ctx.addIssue({ code: 'custom', path: ['counts'], message: `rule ${r.name}: distinct-accounts counts per ip or network` });
    }
    if (r.counts === 'distinct-ips' && r.scope !== 'account') {
      ctx.addIssue({ code: 'custom', path: ['counts'], message: `rule ${r.name}: distinct-ips counts per account` });
    }
  });

export type GuardRule = z.infer<typeof rule>;

export const DEFAULT_RULES: z.input<typeof rule>[] = [
  // One address guessing: stopped at the 10th distinct wrong password (a phone's stale password counts once).
  { name: 'ip-bruteforce', scope: 'ip', counts: 'failures', windowSeconds: 3600, threshold: 10, action: { type: 'ban', ttlSeconds: 900 } },
  // One address trying many accounts (password spraying, credential stuffing).
  { name: 'ip-spraying', scope: 'ip', counts: 'distinct-accounts', windowSeconds: 3600, threshold: 20, action: { type: 'ban', ttlSeconds: 3600 } },
  // Many addresses of one network sharing the work.
  { name: 'network-spraying', scope: 'network', counts: 'distinct-accounts', windowSeconds: 3600, threshold: 60, action: { type: 'ban', ttlSeconds: 900 } },
  // A user mistyping: a short pause, never a ban.
  { name: 'ip-account-typos', scope: 'ip+account', counts: 'failures', windowSeconds: 900, threshold: 3, action: { type: 'delay', seconds: 1, proportional: true, maxSeconds: 5 } },
  // A botnet on one account: everyone is slowed, known-good clients excepted, nobody is locked out.
  { name: 'account-distributed', scope: 'account', counts: 'distinct-ips', windowSeconds: 3600, threshold: 10, action: { type: 'delay', seconds: 2, proportional: true, maxSeconds: 15 } },
  { name: 'account-guessing', scope: 'account', counts: 'distinct-fingerprints', windowSeconds: 3600, threshold: 10, action: { type: 'delay', seconds: 2, proportional: true, maxSeconds: 15 } },
  // Low and slow: a day of guesses at a few an hour.
  { name: 'account-slow-guessing', scope: 'account', counts: 'distinct-fingerprints', windowSeconds: 86_400, threshold: 30, action: { type: 'delay', seconds: 3, proportional: true, maxSeconds: 15 } },
];

const dnsblList = z.object({
  /** Queried as <reversed address>.<zone>. */
  zone: z.string().regex(/^[A-Za-z0-9.-]+$/),
  weight: z.number().min(0).default(1),
  /** A records that count as listed (e.g. 127.0.0.2); empty: any 127.0.0.0/8 answer. */
  returnCodes: z.array(z.string()).default([]),
  timeoutMs: z.number().int().min(10).max(10_000).default(500),
  /** A timeout or SERVFAIL: 'open' scores nothing, 'closed' scores the list's weight. */
  onError: z.enum(['open', 'closed']).default('open'),
  ipv6: z.boolean().default(true),
});

const dnsblSection = z
  .object({
    enabled: z.boolean().default(false),
    lists: z.array(dnsblList).default([]),
    /** Refuse (rule "dnsbl") when the weights of the lists an address is on reach this. */
    threshold: z.number().min(0).default(1),
    /** host or host:port; unset: the system resolvers. */
    servers: z.array(z.string()).optional(),
    cacheSeconds: seconds(86_400).default(3600),
    negativeCacheSeconds: seconds(86_400).default(900),
    cacheMaxEntries: z.number().int().min(100).default(100_000),
    /** Private and loopback clients are never in a public list; set for tests and private lists. */
    checkPrivate: z.boolean().default(false),
  })
  .prefault({});

export const guardSection = z
  .object({
    enabled: z.boolean().default(true),
    rules: z.array(rule).prefault(DEFAULT_RULES),
    /** Which addresses form one "network". */
    networkPrefix: z.object({ ipv4: z.number().int().min(8).max(32).default(24), ipv6: z.number().int().min(16).max(128).default(64) }).prefault({}),
    /** Stalwart, nginx, the OpenCloud proxy: their own address is never counted or banned. */
    trustedRelays: z.array(cidr).default([]),
    /** Bypass every rule, ban and list. */
    allowList: z.object({ networks: z.array(cidr).default([]), accounts: z.array(z.string().min(1)).default([]) }).prefault({}),
    bans: z
      .object({
        escalationFactor: z.number().min(1).max(100).default(2),
        maxTtlSeconds: seconds(365 * 86_400).default(7 * 86_400),
        /** How long a ban is remembered for escalation after it ends. */
        rememberSeconds: seconds(365 * 86_400).default(7 * 86_400),
      })
      .prefault({}),
    /** A client that logged in to an account from this address or device within the window skips that account's delays. */
    knownGoodSeconds: seconds(90 * 86_400).default(14 * 86_400),
    /** Offices behind NAT: ip/network thresholds rise by ratio × distinct accounts that logged in from there. */
    tolerance: z.object({ windowSeconds: seconds(30 * 86_400).default(86_400), ratio: z.number().min(0).max(10).default(0.5) }).prefault({}),
    limits: z
      .object({
        /** In-memory state: subjects (addresses, networks, accounts) kept, least recently used evicted. */
        maxSubjects: z.number().int().min(100).max(50_000_000).default(200_000),
        /** Members remembered per counter (distinct accounts, addresses, fingerprints); counts saturate here. */
        maxMembers: z.number().int().min(10).max(100_000).default(1000),
      })
      .prefault({}),
    /** With Redis configured and unreachable: 'open' counts in memory meanwhile, 'closed' refuses every login. */
    redisFailure: z.enum(['open', 'closed']).default('open'),
    redisTimeoutMs: z.number().int().min(10).max(10_000).default(250),
    /** Full re-read of bans from Redis, besides pub/sub, to heal missed messages. */
    banResyncSeconds: seconds(3600).default(30),
    dnsbl: dnsblSection,
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `duplicate rule name ${r.name}` });
      seen.add(r.name);
    });
  })
  .prefault({});

export type GuardConfig = z.infer<typeof guardSection>;
export type DnsblConfig = GuardConfig['dnsbl'];
