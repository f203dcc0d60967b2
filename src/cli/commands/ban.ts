/** portcullis ban list|add|remove (and, with the same shape, allow …) — through the running server. */
import type { Command } from 'commander';
import { table } from '../format.js';
import { action } from '../run.js';
import { GuardClient, seconds, targetArg, type ServerOptions } from './guard-client.js';

export interface PublicEntry {
  id: string;
  target: { kind: string; ip?: string; cidr?: string; login?: string };
  rule: string;
  reason: string;
  createdAt: string;
  expiresAt: string | null;
  offences: number;
}

export function targetText(t: PublicEntry['target']): string {
  if (t.kind === 'iplogin') return `${t.ip} + ${t.login}`;
  return t.ip ?? t.cidr ?? t.login ?? '?';
}

export function entryTable(entries: PublicEntry[]): string {
  if (entries.length === 0) return '(none)';
  return table([['TARGET', 'RULE', 'EXPIRES', 'REASON'], ...entries.map((e) => [targetText(e.target), e.rule, e.expiresAt ?? 'never', e.reason])]);
}

const serverOptions = (c: Command): Command =>
  c.option('--url <url>', 'the server (default: $PORTCULLIS_URL or http.listen)').option('--api-key <key>', 'a caller key with the admin group (default: $PORTCULLIS_API_KEY or from the config)');

export function registerListCommands(program: Command, list: 'ban' | 'allow'): void {
  const path = list === 'ban' ? '/api/v1/guard/bans' : '/api/v1/guard/allows';
  const noun = list === 'ban' ? 'ban' : 'allow-list entry';
  const cmd = program
    .command(list)
    .description(list === 'ban' ? 'list, add and lift bans (addresses, networks, address+login)' : 'manage the dynamic allow-list (bypasses every rule and ban)');

  serverOptions(cmd.command('list').description(`list the live ${list === 'ban' ? 'bans' : 'allow-list entries'}`)).action(
    action(async (ctx, _args, o) => {
      const entries = await GuardClient.from(ctx, o as ServerOptions).call<PublicEntry[]>('GET', path);
      ctx.print(entries, () => entryTable(entries));
    }),
  );

  serverOptions(
    cmd
      .command('add <target>')
      .description(list === 'ban' ? 'ban an address or CIDR block (never a login alone)' : 'allow-list an address, CIDR block or login')
      .option('--login <login>', 'only this login from that address')
      .option('--ttl <duration>', 'e.g. 900, 15m, 2h, 7d; 0: until removed', list === 'ban' ? '1h' : '0')
      .option('--reason <text>', 'shown in lists and logs'),
  ).action(
    action(async (ctx, [target], o) => {
      const body = { ...targetArg(target ?? '', o['login'] as string | undefined), ttlSeconds: seconds(String(o['ttl'])), ...(o['reason'] ? { reason: String(o['reason']) } : {}) };
      if ('id' in body) throw new Error('give an address, a CIDR block or a login, not an entry id');
      const entry = await GuardClient.from(ctx, o as ServerOptions).call<PublicEntry>('POST', path, body);
      ctx.print(entry, () => `${noun} added: ${targetText(entry.target)} (${entry.expiresAt ? `until ${entry.expiresAt}` : 'until removed'})`);
    }),
  );

  serverOptions(
    cmd.command('remove <target>').description(`remove a ${noun} by address, CIDR block, login or id`).option('--login <login>', 'the login of an address+login entry'),
  ).action(
    action(async (ctx, [target], o) => {
      const res = await GuardClient.from(ctx, o as ServerOptions).call<{ removed: PublicEntry[] }>('DELETE', path, targetArg(target ?? '', o['login'] as string | undefined));
      if (res.removed.length === 0) throw new Error(`no ${noun} for ${target} (it may have expired)`);
      ctx.print(res, () => res.removed.map((e) => `${noun} removed: ${targetText(e.target)}`).join('\n'));
    }),
  );
}

export function registerBan(program: Command): void {
  registerListCommands(program, 'ban');
}
