/** portcullis init — a commented configuration file, the data directory, the schema and a server key. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../run.js';

const TEMPLATE = `# Portcullis configuration. Every key has a default; see docs/configuration.md.
# Environment variables override keys: PORTCULLIS_LDAP__BASE_DN=o=libregraph-idm sets ldap.baseDn.
dataDir: ./data
workers: auto               # one serving process per core; the primary keeps the guard's counters for all
store:
  driver: sqlite            # or postgres (store.postgresUrl)
ldap:
  listen: { host: 127.0.0.1, port: 3389 }
  baseDn: dc=example,dc=org
http:
  listen: { host: 127.0.0.1, port: 8080 }
  # callers:                # who may call the auth APIs; without any, loopback only
  #   - name: nginx
  #     apiKey: change-me-to-a-long-random-string
  #     endpoints: [nginx]
log:
  level: info
`;

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write portcullis.yaml (unless present), create the data directory and database')
    .action(
      action(async (ctx) => {
        const file = ctx.configFile() ?? 'portcullis.yaml';
        const wrote = !existsSync(file);
        if (wrote) writeFileSync(file, TEMPLATE, { flag: 'wx' });
        ctx.options.config = file;
        const app = await ctx.open();
        ctx.print({ ok: true, config: file, dataDir: app.config.dataDir, store: app.store.dialect }, () =>
          `${wrote ? 'wrote' : 'kept'} ${file}; ${app.store.dialect} store ready in ${app.config.dataDir}`,
        );
      }),
    );
}
