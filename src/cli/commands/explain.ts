/** portcullis explain <ip|account> — why an address or account is (not) slowed or banned, rule by rule. */
import type { Command } from 'commander';
import { keyValues, table } from '../format.js';
import { action } from '../run.js';
import { entryTable, type PublicEntry } from './ban.js';
import { GuardClient, type ServerOptions } from './guard-client.js';

interface Explanation {
  query: string;
  ip: string | null;
  network: string | null;
  login: string | null;
  allowListed: boolean;
  bans: PublicEntry[];
  allows: PublicEntry[];
  rules: Array<{ rule: string; scope: string; counts: string; windowSeconds: number; count: number; threshold: number; action: string; fires: boolean }>;
}

export function explainText(e: Explanation): string {
  const head = keyValues([
    ['address', e.ip ?? '-'],
    ['network', e.network ?? '-'],
    ['account', e.login ?? '-'],
    ['allow-listed', e.allowListed ? 'yes (every rule and ban is bypassed)' : 'no'],
  ]);
  const rules = table([
    ['RULE', 'SCOPE', 'COUNTS', 'WINDOW', 'COUNT', 'ACTION', 'STATE'],
    ...e.rules.map((r) => [r.rule, r.scope, r.counts, `${r.windowSeconds}s`, `${r.count}/${r.threshold}`, r.action, r.fires ? (r.action === 'ban' ? 'FIRES: bans on the next failure' : 'FIRES: delaying') : '']),
  ]);
  const firing = e.rules.filter((r) => r.fires).map((r) => r.rule);
  const verdict = e.allowListed
    ? 'verdict: allowed (allow-listed)'
    : e.bans.length > 0
      ? `verdict: refused (banned by ${e.bans.map((b) => b.rule).join(', ')})`
      : firing.length > 0
        ? `verdict: ${firing.join(', ')} would fire`
        : 'verdict: allowed (no rule reached)';
  return [head, '', 'bans:', entryTable(e.bans), '', 'rules:', rules, '', verdict].join('\n');
}

export function registerExplain(program: Command): void {
  program
    .command('explain <query>')
    .description('show the counters, bans and rules that apply to an address or an account')
    .option('--login <login>', 'with an address: also the address+login rules')
    .option('--url <url>', 'the server (default: $PORTCULLIS_URL or http.listen)')
    .option('--api-key <key>', 'a caller key with the admin group (default: $PORTCULLIS_API_KEY or from the config)')
    .action(
      action(async (ctx, [query], o) => {
        const params = new URLSearchParams({ query: query ?? '', ...(o['login'] ? { login: String(o['login']) } : {}) });
        const e = await GuardClient.from(ctx, o as ServerOptions).call<Explanation>('GET', `/api/v1/guard/explain?${params.toString()}`);
        ctx.print(e, () => explainText(e));
      }),
    );
}
