/** portcullis service-account add|list|delete — for Stalwart's and Dovecot's directory look-ups and master logins. */
import type { Command } from 'commander';
import { table } from '../format.js';
import { action } from '../run.js';
import { readSecret } from '../secret-input.js';

export function registerServiceAccounts(program: Command): void {
  const sa = program.command('service-account').description('manage service accounts (directory readers, master users)');
  sa.command('add <name>')
    .description('roles: directory-read (LDAP search), impersonate (master-user logins)')
    .option('--role <role...>', 'roles', ['directory-read'])
    .option('--description <text>')
    .action(
      action(async (ctx, [name], o) => {
        const app = await ctx.open();
        const password = await readSecret('Password: ', { confirm: true });
        const created = await app.identity.addServiceAccount(
          { name: name!, password, roles: o['role'] as string[], ...(typeof o['description'] === 'string' ? { description: o['description'] } : {}) },
          ctx.actor(),
        );
        const dn = `cn=${created.name},ou=services,${app.config.ldap.baseDn}`;
        ctx.print({ id: created.id, name: created.name, roles: created.roles, bindDn: dn }, () => `added service account ${created.name}; it binds as ${dn}`);
      }),
    );
  sa.command('list').action(
    action(async (ctx) => {
      const app = await ctx.open();
      const list = await app.store.listServiceAccounts();
      ctx.print(list.map((a) => ({ id: a.id, name: a.name, roles: a.roles, enabled: a.enabled })), () =>
        table([['NAME', 'ROLES', 'ENABLED'], ...list.map((a) => [a.name, a.roles.join(','), a.enabled ? 'yes' : 'no'])]),
      );
    }),
  );
  sa.command('delete <name>').action(
    action(async (ctx, [name]) => {
      const app = await ctx.open();
      await app.identity.deleteServiceAccount(name!, ctx.actor());
      ctx.print({ ok: true }, () => `deleted service account ${name}`);
    }),
  );
}
