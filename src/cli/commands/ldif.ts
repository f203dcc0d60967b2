/** portcullis import ldif FILE / export ldif — OpenCloud IDM and OpenLDAP exports, hashes included. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportLdif } from '../../ldif/export.js';
import { importLdif } from '../../ldif/import.js';
import { action } from '../run.js';

export function registerLdif(program: Command): void {
  program
    .command('import')
    .description('import identities')
    .command('ldif <file>')
    .description('import users and groups from an LDIF export in one transaction (all or nothing)')
    .option('--dry-run', 'check the file without writing anything')
    .action(
      action(async (ctx, [file], o) => {
        const app = await ctx.open();
        const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file!, 'utf8');
        const summary = await importLdif(app.identity, text, { ...ctx.actor(), dryRun: o['dryRun'] === true });
        ctx.print(summary, () =>
          [
            `${o['dryRun'] ? 'would import' : 'imported'} ${summary.users} users, ${summary.groups} groups, ${summary.memberships} memberships, ${summary.domains} new domains`,
            ...summary.skipped.map((s) => `skipped ${s.dn}: ${s.why}`),
          ].join('\n'),
        );
      }),
    );
  program
    .command('export')
    .description('export identities')
    .command('ldif')
    .description('write all users and groups as LDIF to stdout')
    .option('--shape <shape>', 'opencloud (inetOrgPerson + openCloudUser) or openldap', 'opencloud')
    .option('--base-dn <dn>', 'base DN (default: ldap.baseDn)')
    .action(
      action(async (ctx, _args, o) => {
        const app = await ctx.open();
        const shape = o['shape'] === 'openldap' ? 'openldap' : 'opencloud';
        const baseDn = typeof o['baseDn'] === 'string' ? o['baseDn'] : app.config.ldap.baseDn;
        process.stdout.write(await exportLdif(app.store, { baseDn, shape }));
      }),
    );
}
