/** portcullis user add|passwd|disable|enable|show|list|delete|set */
import type { Command } from 'commander';
import { publicUser, keyValues, table } from '../format.js';
import { action } from '../run.js';
import { readSecret } from '../secret-input.js';

export function registerUsers(program: Command): void {
  const user = program.command('user').description('manage users');

  user
    .command('add <mail>')
    .description('add a user; the password is read from a prompt or stdin (use --no-password to set none)')
    .option('--login <name>', 'login name (default: the local part of the mail address)')
    .option('--name <displayName>', 'display name')
    .option('--alias <address...>', 'extra mail addresses')
    .option('--role <role...>', 'roles, e.g. admin, helpdesk')
    .option('--no-password', 'create the user without a password (e.g. token-only)')
    .action(
      action(async (ctx, [mail], o) => {
        const app = await ctx.open();
        const password = o['password'] === false ? null : await readSecret('Password: ', { confirm: true });
        const created = await app.identity.addUser(
          {
            mail: mail!,
            ...(typeof o['login'] === 'string' ? { login: o['login'] } : {}),
            ...(typeof o['name'] === 'string' ? { displayName: o['name'] } : {}),
            aliases: (o['alias'] as string[] | undefined) ?? [],
            roles: (o['role'] as string[] | undefined) ?? [],
            password,
          },
          ctx.actor(),
        );
        ctx.print(publicUser(created), () => `added user ${created.login} <${created.mail}> (${created.id})`);
      }),
    );

  user
    .command('passwd <user>')
    .description("set a user's password (read from a prompt or stdin)")
    .action(
      action(async (ctx, [login]) => {
        const app = await ctx.open();
        const password = await readSecret('New password: ', { confirm: true });
        const updated = await app.identity.setPassword(login!, password, ctx.actor());
        ctx.print({ ok: true, login: updated.login }, () => `password changed for ${updated.login}`);
      }),
    );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    user
      .command(`${name} <user>`)
      .description(enabled ? 'allow the user to log in again' : 'stop the user from logging in (kept, not deleted)')
      .action(
        action(async (ctx, [login]) => {
          const app = await ctx.open();
          const updated = await app.identity.setEnabled(login!, enabled, ctx.actor());
          ctx.print(publicUser(updated), () => `${updated.login} ${enabled ? 'enabled' : 'disabled'}`);
        }),
      );
  }

  user
    .command('set <user>')
    .description('change display name, primary mail or roles')
    .option('--name <displayName>')
    .option('--mail <address>')
    .option('--role <role...>', 'replace the roles')
    .action(
      action(async (ctx, [login], o) => {
        const app = await ctx.open();
        const patch: { displayName?: string; mail?: string; roles?: string[] } = {};
        if (typeof o['name'] === 'string') patch.displayName = o['name'];
        if (typeof o['mail'] === 'string') patch.mail = o['mail'];
        if (Array.isArray(o['role'])) patch.roles = o['role'] as string[];
        const updated = await app.identity.updateUser(login!, patch, ctx.actor());
        ctx.print(publicUser(updated), () => `updated ${updated.login}`);
      }),
    );

  user
    .command('show <user>')
    .description('show a user by login, mail or alias')
    .action(
      action(async (ctx, [login]) => {
        const app = await ctx.open();
        const found = await app.identity.requireUser(login!);
        const groups = (await app.store.groupsOfUser(found.id)).map((g) => g.name);
        const view = publicUser(found, groups);
        ctx.print(view, () =>
          keyValues([
            ['login', view.login],
            ['id', view.id],
            ['mail', view.mail],
            ['aliases', view.aliases.join(', ') || '-'],
            ['display name', view.displayName],
            ['enabled', String(view.enabled)],
            ['roles', view.roles.join(', ') || '-'],
            ['groups', groups.join(', ') || '-'],
            ['password set', view.hasPassword ? `yes (changed ${view.passwordChangedAt ?? 'never'})` : 'no'],
            ['created', view.createdAt],
          ]),
        );
      }),
    );

  user
    .command('list')
    .description('list users')
    .option('--query <text>', 'filter by login, mail or name')
    .option('--domain <domain>')
    .option('--limit <n>', 'at most n users', '100')
    .option('--offset <n>', 'skip n users', '0')
    .action(
      action(async (ctx, _args, o) => {
        const app = await ctx.open();
        const users = await app.identity.listUsers({
          limit: Number(o['limit']),
          offset: Number(o['offset']),
          ...(typeof o['query'] === 'string' ? { query: o['query'] } : {}),
          ...(typeof o['domain'] === 'string' ? { domain: o['domain'] } : {}),
        });
        ctx.print(users.map((u) => publicUser(u)), () =>
          table([['LOGIN', 'MAIL', 'NAME', 'ENABLED'], ...users.map((u) => [u.login, u.mail, u.displayName, u.enabled ? 'yes' : 'no'])]),
        );
      }),
    );

  user
    .command('delete <user>')
    .description('delete a user with its memberships and app passwords')
    .action(
      action(async (ctx, [login]) => {
        const app = await ctx.open();
        await app.identity.deleteUser(login!, ctx.actor());
        ctx.print({ ok: true }, () => `deleted ${login}`);
      }),
    );
}
