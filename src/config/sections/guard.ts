/**
 * Attack detection: counting rules, bans, allow-lists, trusted relays and DNSBL lists. The default
 * rules below are the reference: what each counts, over which window, and what it answers.
 */
import { z } from 'zod';
import { cidr } from './common.js';
import { pushOutSection, stalwartWebhookSection } from './guard-io.js';

const seconds = (max: number) => z.number().int().min(1).max(max);

/** What a rule counts, and for whom. Failures are wrong secrets; an identical wrong secret repeated counts once. */
export const RULE_SCOPES = ['ip', 'network', 'account', 'ip+account'] as const;
export const RULE_COUNTS = ['failures', 'distinct-accounts', 'distinct-fingerprints', 'distinct-ips'] as const;

const delayAction = z.strictObject({
  type: z.literal('delay'),
  seconds: seconds(600),
  proportional: z.boolean().default(false).describe('Grow the delay with the count: seconds × count / threshold, up to maxSeconds.'),
  maxSeconds: seconds(600).default(15),
});

const banAction = z.strictObject({
  type: z.literal('ban'),
  ttlSeconds: seconds(30 * 86_400).describe('First ban; repeat offenders get ttl × bans.escalationFactor^(n-1), capped by bans.maxTtlSeconds.'),
});

const rule = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'rule names are lowercase letters, digits and dashes').describe('Carried by every refusal and delay, in logs (guard.ban), metrics and API answers.'),
    enabled: z.boolean().default(true),
    scope: z.enum(RULE_SCOPES).describe('Whose attempts are counted: one address, its network, one account, or one address on one account.'),
    counts: z.enum(RULE_COUNTS).describe('failures, or distinct accounts, wrong-password fingerprints or addresses.'),
    windowSeconds: seconds(7 * 86_400).describe('The sliding window the count covers.'),
    threshold: z.number().int().min(1).max(100_000).describe('The answer applies once the count reaches this.'),
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

const dnsblList = z.strictObject({
  zone: z.string().regex(/^[A-Za-z0-9.-]+$/).describe('Queried as <reversed address>.<zone>.'),
  weight: z.number().min(0).default(1).describe('Added to the score when the address is listed.'),
  returnCodes: z.array(z.string()).default([]).describe('A records that count as listed (e.g. 127.0.0.2); empty: any 127.0.0.0/8 answer.'),
  timeoutMs: z.number().int().min(10).max(10_000).default(500).describe('A slower answer counts as an error (see onError).'),
  onError: z.enum(['open', 'closed']).default('open').describe('A timeout or SERVFAIL: \'open\' scores nothing, \'closed\' scores the list\'s weight.'),
  ipv6: z.boolean().default(true).describe('Query the list for IPv6 clients too.'),
});

const dnsblSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Consult DNSBL lists before the credential check.'),
    lists: z.array(dnsblList).default([]),
    threshold: z.number().min(0).default(1).describe('Refuse (rule "dnsbl") when the weights of the lists an address is on reach this.'),
    servers: z.array(z.string()).optional().describe('host or host:port; unset: the system resolvers.'),
    cacheSeconds: seconds(86_400).default(3600).describe('How long a listed answer is kept.'),
    negativeCacheSeconds: seconds(86_400).default(900).describe('How long a not-listed answer is kept.'),
    cacheMaxEntries: z.number().int().min(100).default(100_000),
    checkPrivate: z.boolean().default(false).describe('Private and loopback clients are never in a public list; set for tests and private lists.'),
  })
  .prefault({});

export const guardSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Attack detection on; off: every attempt goes straight to the credential check.'),
    rules: z.array(rule).prefault(DEFAULT_RULES).describe('The counting rules; setting this list replaces the defaults entirely.'),
    networkPrefix: z.strictObject({ ipv4: z.number().int().min(8).max(32).default(24), ipv6: z.number().int().min(16).max(128).default(64) }).prefault({}).describe('Which addresses form one "network".'),
    trustedRelays: z.array(cidr).default([]).describe('Stalwart, nginx, the OpenCloud proxy: their own address is never counted or banned.'),
    allowList: z.strictObject({ networks: z.array(cidr).default([]), accounts: z.array(z.string().min(1)).default([]) }).prefault({}).describe('Bypass every rule, ban and list.'),
    bans: z
      .strictObject({
        escalationFactor: z.number().min(1).max(100).default(2).describe('A repeat offender\'s ban lasts ttl × factor^(n-1).'),
        maxTtlSeconds: seconds(365 * 86_400).default(7 * 86_400).describe('No ban lasts longer than this.'),
        rememberSeconds: seconds(365 * 86_400).default(7 * 86_400).describe('How long a ban is remembered for escalation after it ends.'),
      })
      .prefault({}),
    knownGoodSeconds: seconds(90 * 86_400).default(14 * 86_400).describe('A client that logged in to an account from this address or device within the window skips that account\'s delays.'),
    tolerance: z.strictObject({ windowSeconds: seconds(30 * 86_400).default(86_400), ratio: z.number().min(0).max(10).default(0.5) }).prefault({}).describe('Offices behind NAT: ip/network thresholds rise by ratio × distinct accounts that logged in from there.'),
    limits: z
      .strictObject({
        maxSubjects: z.number().int().min(100).max(50_000_000).default(200_000).describe('In-memory state: subjects (addresses, networks, accounts) kept, least recently used evicted.'),
        maxMembers: z.number().int().min(10).max(100_000).default(1000).describe('Members remembered per counter (distinct accounts, addresses, fingerprints); counts saturate here.'),
      })
      .prefault({}),
    redisFailure: z.enum(['open', 'closed']).default('open').describe('With Redis configured and unreachable: \'open\' counts in memory meanwhile, \'closed\' refuses every login.'),
    redisTimeoutMs: z.number().int().min(10).max(10_000).default(250).describe('A slower Redis answer counts as a Redis failure (see redisFailure).'),
    banResyncSeconds: seconds(3600).default(30).describe('Full re-read of bans from Redis, besides pub/sub, to heal missed messages.'),
    dnsbl: dnsblSection,
    stalwartWebhook: stalwartWebhookSection.describe('Stalwart\'s signed webhook events feeding the counters (POST /api/v1/webhooks/stalwart).'),
    pushOut: pushOutSection.describe('Bans pushed to webhooks, a firewall command and Stalwart\'s blocked-IP list.'),
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
