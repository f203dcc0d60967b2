/** portcullis domain add|list|delete, and alias add|remove */
import type { Command } from 'commander';
import { table } from '../format.js';
import { action } from '../run.js';

export function registerDomains(program: Command): void {
  const domain = program.command('domain').description('manage mail domains');
  domain
    .command('add <domain>')
    .action(
      action(async (ctx, [name]) => {
        const app = await ctx.open();
        await app.identity.addDomain(name!, ctx.actor());
        ctx.print({ ok: true, domain: name }, () => `added domain ${name}`);
      }),
    );
  domain
    .command('list')
    .action(
      action(async (ctx) => {
        const app = await ctx.open();
        const domains = await app.store.listDomains();
        ctx.print(domains.map((d) => ({ name: d.name, createdAt: d.createdAt.toISOString() })), () =>
          table([['DOMAIN', 'CREATED'], ...domains.map((d) => [d.name, d.createdAt.toISOString()])]),
        );
      }),
    );
  domain
    .command('delete <domain>')
    .description('delete a domain no user or group uses any more')
    .action(
      action(async (ctx, [name]) => {
        const app = await ctx.open();
        await app.identity.removeDomain(name!, ctx.actor());
        ctx.print({ ok: true }, () => `deleted domain ${name}`);
      }),
    );

  const alias = program.command('alias').description('manage mail aliases of users and groups');
  alias
    .command('add <address>')
    .description('add an alias to a user (--user) or a group (--group)')
    .option('--user <user>')
    .option('--group <group>')
    .action(
      action(async (ctx, [address], o) => {
        const app = await ctx.open();
        const user = typeof o['user'] === 'string' ? o['user'] : undefined;
        const group = typeof o['group'] === 'string' ? o['group'] : undefined;
        if (!user === !group) throw new Error('name exactly one owner: --user <user> or --group <group>');
        await app.identity.addAlias(user ? { user } : { group: group! }, address!, ctx.actor());
        ctx.print({ ok: true }, () => `added alias ${address} to ${user ?? group}`);
      }),
    );
  alias
    .command('remove <address>')
    .action(
      action(async (ctx, [address]) => {
        const app = await ctx.open();
        await app.identity.removeAlias(address!, ctx.actor());
        ctx.print({ ok: true }, () => `removed alias ${address}`);
      }),
    );
  alias
    .command('list <owner>')
    .description("list a user's or group's addresses")
    .action(
      action(async (ctx, [owner]) => {
        const app = await ctx.open();
        const user = await app.identity.findUser(owner!);
        const entity = user ?? (await app.identity.requireGroup(owner!));
        ctx.print({ mail: entity.mail, aliases: entity.aliases }, () => [`${entity.mail ?? '(no mail)'} (primary)`, ...entity.aliases].join('\n'));
      }),
    );
}
