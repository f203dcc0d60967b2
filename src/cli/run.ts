/** Runs a command body with clean error reporting: a message a person can act on, exit status 1, no stack. */
import type { Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { ValidationError } from '../identity/validate.js';
import { StoreConflictError, StoreNotFoundError } from '../store/store.js';
import { CliContext, type GlobalOptions } from './context.js';

export type Body = (ctx: CliContext, ...args: string[]) => Promise<void>;

/** Wraps an action: commander passes positional args, then options, then the command. */
export function action(body: (ctx: CliContext, args: string[], options: Record<string, unknown>) => Promise<void>) {
  return async (...raw: unknown[]): Promise<void> => {
    const command = raw[raw.length - 1] as Command;
    const options = raw[raw.length - 2] as Record<string, unknown>;
    const args = raw.slice(0, -2) as string[];
    const ctx = new CliContext(command.optsWithGlobals<GlobalOptions>());
    try {
      await body(ctx, args, options);
    } catch (err) {
      process.stderr.write(`portcullis: ${describe(err)}\n`);
      process.exitCode = 1;
    } finally {
      await ctx.close();
    }
  };
}

function describe(err: unknown): string {
  if (err instanceof ConfigError || err instanceof ValidationError) return err.message;
  if (err instanceof StoreConflictError || err instanceof StoreNotFoundError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
