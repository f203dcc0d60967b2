/** portcullis allow list|add|remove — the dynamic allow-list, through the running server. */
import type { Command } from 'commander';
import { registerListCommands } from './ban.js';

export function registerAllow(program: Command): void {
  registerListCommands(program, 'allow');
}
