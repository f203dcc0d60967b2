/** portcullis group add|delete|list|show|members add|remove|list */
import type { Command } from 'commander';
import { publicGroup, table } from '../format.js';
import { action } from '../run.js';

export function registerGroups(program: Command): void {
  const group = program.command('group').description('manage groups');
  group
    .command('add <name>')
    .option('--mail <address>', "the group's own mail address")
    .option('--alias <address...>')
    .option('--description <text>')
    .action(
      action(async (ctx, [name], o) => {
        const app = await ctx.open();
        const created = await app.identity.addGroup(
          {
            name: name!,
            mail: typeof o['mail'] === 'string' ? o['mail'] : null,
            aliases: (o['alias'] as string[] | undefined) ?? [],
            ...(typeof o['description'] === 'string' ? { description: o['description'] } : {}),
          },
          ctx.actor(),
        );
        ctx.print(publicGroup(created, []), () => `added group ${created.name}`);
      }),
    );
  group
    .command('delete <name>')
    .action(
      action(async (ctx, [name]) => {
        const app = await ctx.open();
        await app.identity.deleteGroup(name!, ctx.actor());
        ctx.print({ ok: true }, () => `deleted group ${name}`);
      }),
    );
  group
    .command('list')
    .action(
      action(async (ctx) => {
        const app = await ctx.open();
        const groups = await app.store.listGroups({ limit: 1000 });
        ctx.print(groups.map((g) => publicGroup(g, [])), () =>
          table([['NAME', 'MAIL', 'DESCRIPTION'], ...groups.map((g) => [g.name, g.mail ?? '-', g.description])]),
        );
      }),
    );

  const members = group.command('members').description('manage group members');
  for (const [verb, member] of [['add', true], ['remove', false]] as const) {
    members
      .command(`${verb} <group> <user...>`)
      .action(
        action(async (ctx, args) => {
          const app = await ctx.open();
          const [name, ...logins] = args.flat();
          for (const login of logins) await app.identity.setMembership(name!, login, member, ctx.actor());
          ctx.print({ ok: true }, () => `${member ? 'added' : 'removed'} ${logins.join(', ')} ${member ? 'to' : 'from'} ${name}`);
        }),
      );
  }
  members
    .command('list <group>')
    .action(
      action(async (ctx, [name]) => {
        const app = await ctx.open();
        const found = await app.identity.requireGroup(name!);
        const users = await app.store.listMembers(found.id);
        ctx.print(publicGroup(found, users.map((u) => u.login)), () =>
          table([['LOGIN', 'MAIL'], ...users.map((u) => [u.login, u.mail])]),
        );
      }),
    );
}
