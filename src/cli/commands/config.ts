/** portcullis config check|show — validate without starting. */
import type { Command } from 'commander';
import { action } from '../run.js';

const SECRET = /key|secret|password|pass|token/i;

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the configuration file and PORTCULLIS_* variables without starting')
    .action(
      action(async (ctx) => {
        const file = ctx.configFile();
        ctx.config();
        ctx.print({ ok: true, file: file ?? null }, () => `configuration ok (${file ?? 'embedded defaults'})`);
      }),
    );
  config
    .command('show')
    .description('print the effective configuration, secrets hidden')
    .action(
      action(async (ctx) => {
        const effective = JSON.parse(JSON.stringify(ctx.config(), (key, value: unknown) => (SECRET.test(key) && typeof value === 'string' ? '(hidden)' : value))) as unknown;
        ctx.print(effective, () => JSON.stringify(effective, null, 2));
      }),
    );
}
