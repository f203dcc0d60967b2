/** The portcullis command. */
import { Command } from 'commander';
import { registerAdminTokens } from './commands/admin-tokens.js';
import { registerAllow } from './commands/allow.js';
import { registerAppPasswords } from './commands/app-passwords.js';
import { registerBan } from './commands/ban.js';
import { registerConfig } from './commands/config.js';
import { registerDomains } from './commands/domains.js';
import { registerExplain } from './commands/explain.js';
import { registerGroups } from './commands/groups.js';
import { registerInit } from './commands/init.js';
import { registerIssuers } from './commands/issuers.js';
import { registerLdif } from './commands/ldif.js';
import { registerServe } from './commands/serve.js';
import { registerServiceAccounts } from './commands/service-accounts.js';
import { registerUsers } from './commands/users.js';

export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('Central authentication and attack detection for groupware')
    .option('-c, --config <file>', 'configuration file (default: $PORTCULLIS_CONFIG or ./portcullis.yaml)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError();
  for (const register of [registerInit, registerServe, registerConfig, registerDomains, registerUsers, registerGroups, registerServiceAccounts, registerAppPasswords, registerAdminTokens, registerIssuers, registerLdif, registerBan, registerAllow, registerExplain]) {
    register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
