/** portcullis app-password create|list|revoke — the secret is printed once, at creation. */
import type { Command } from 'commander';
import { APP_PASSWORD_SCOPES } from '../../identity/model.js';
import { publicAppPassword, table } from '../format.js';
import { action } from '../run.js';

export function registerAppPasswords(program: Command): void {
  const ap = program.command('app-password').description('manage application passwords for mail clients');
  ap.command('create <user> <name>')
    .description(`create one; scopes among ${APP_PASSWORD_SCOPES.join(', ')}`)
    .option('--scope <scope...>', 'protocols it may be used for', ['imap', 'pop3', 'smtp', 'dav', 'jmap', 'ldap'])
    .option('--expires <date>', 'an ISO date or a duration such as 90d')
    .action(
      action(async (ctx, [login, name], o) => {
        const app = await ctx.open();
        const expiresAt = typeof o['expires'] === 'string' ? parseExpiry(o['expires']) : null;
        const { appPassword, secret } = await app.identity.createAppPassword(
          login!,
          { name: name!, scopes: o['scope'] as string[], expiresAt },
          ctx.actor(),
        );
        ctx.print({ ...publicAppPassword(appPassword), secret }, () =>
          [
            `created app password "${appPassword.name}" for ${login} (${appPassword.scopes.join(', ')})`,
            '',
            `    ${secret}`,
            '',
            'It is shown only now: type it into the mail client instead of the account password.',
          ].join('\n'),
        );
      }),
    );
  ap.command('list <user>').action(
    action(async (ctx, [login]) => {
      const app = await ctx.open();
      const list = (await app.identity.listAppPasswords(login!)).map(publicAppPassword);
      ctx.print(list, () =>
        table([
          ['ID', 'NAME', 'SCOPES', 'EXPIRES', 'LAST USED'],
          ...list.map((a) => [a.id, a.name, a.scopes.join(','), a.expiresAt ?? '-', a.lastUsedAt ? `${a.lastUsedAt} ${a.lastUsedProtocol} ${a.lastUsedIp ?? ''}` : 'never']),
        ]),
      );
    }),
  );
  ap.command('revoke <user> <id>').action(
    action(async (ctx, [login, id]) => {
      const app = await ctx.open();
      await app.identity.revokeAppPassword(login!, id!, ctx.actor());
      ctx.print({ ok: true }, () => `revoked ${id}`);
    }),
  );
}

export function parseExpiry(text: string): Date {
  const duration = /^(\d+)([dhm])$/.exec(text);
  if (duration) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[duration[2] as 'd' | 'h' | 'm'];
    return new Date(Date.now() + Number(duration[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires "${text}" is invalid: expected an ISO date or a duration such as 90d`);
  return date;
}
