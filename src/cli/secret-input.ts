/**
 * Passwords come from a hidden prompt on a terminal, or the first line of stdin in scripts —
 * never from argv, where every user of the machine could read them in the process list.
 */
import { createInterface } from 'node:readline';

export async function readSecret(prompt: string, options: { confirm?: boolean } = {}): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden(prompt);
  if (options.confirm) {
    const again = await promptHidden('Repeat: ');
    if (again !== first) throw new Error('the two passwords differ');
  }
  return first;
}

async function readFirstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, '');
  }
  throw new Error('expected the password on the first line of stdin');
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    let muted = false;
    output._writeToOutput = (text: string) => {
      if (!muted) process.stderr.write(text);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
