// The documentation stays true to the code: the configuration reference is regenerated from the schema,
// every Portcullis config snippet (a ```yaml block opening with `# portcullis.yaml`) validates, and
// every `portcullis …` command shown names a command the CLI has.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CONFIGURATION_MD, renderConfigReference, unknownKeys } from '../scripts/config-reference.js';
import { buildProgram } from '../src/cli/main.js';
import { validateConfig } from '../src/config/load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = join(ROOT, 'docs');
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'ini', 'systemd']);

interface Block {
  file: string;
  line: number;
  lang: string;
  text: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const FILES = [...markdownFiles(DOCS), join(ROOT, 'README.md')];

function fencedBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: { fence: string; lang: string; line: number; body: string[] } | null = null;
  lines.forEach((line, i) => {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (open === null) {
      if (fence) open = { fence: fence[2] ?? '```', lang: (fence[3] ?? '').toLowerCase(), line: i + 1, body: [] };
      return;
    }
    if (fence && (fence[2] ?? '').startsWith(open.fence) && line.trim() === fence[2]) {
      blocks.push({ file: relative(ROOT, file), line: open.line, lang: open.lang, text: open.body.join('\n') });
      open = null;
      return;
    }
    open.body.push(line);
  });
  return blocks;
}

/** Text outside fenced blocks, for inline code spans. */
function prose(file: string): string {
  return readFileSync(file, 'utf8').replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, '');
}

/** The command words after `portcullis` (stopping at options, placeholders and arguments). */
function commandWords(text: string): string[][] {
  const found: string[][] = [];
  for (const match of text.matchAll(/(?:^|[\s=/])portcullis((?:[ \t]+[a-z][a-z0-9-]*)+)/gm)) {
    const words = (match[1] ?? '').trim().split(/[ \t]+/);
    while (words[0] === 'portcullis') words.shift(); // sudo -u portcullis portcullis …
    if (words.length > 0) found.push(words);
  }
  return found;
}

/** null when the words name a command; otherwise what is wrong. */
function checkCommand(program: Command, words: string[]): string | null {
  let command = program;
  for (const word of words) {
    if (command.commands.length === 0) return null; // the rest are arguments
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return `"${word}" is not a subcommand of "${command.name()}" (has: ${command.commands.map((c) => c.name()).join(', ')})`;
    command = next;
  }
  return null;
}

describe('documentation', () => {
  test('docs/configuration.md is generated from the current schema (npm run docs:config)', () => {
    const current = readFileSync(CONFIGURATION_MD, 'utf8');
    assert.ok(current === renderConfigReference(), 'docs/configuration.md is out of date with src/config/: run `npm run docs:config`');
  });

  test('every ```yaml block opening with "# portcullis.yaml" is a valid configuration', () => {
    const snippets = FILES.flatMap(fencedBlocks).filter((b) => (b.lang === 'yaml' || b.lang === 'yml') && /^#\s*portcullis\.yaml\b/.test(b.text.trimStart()));
    assert.ok(snippets.length >= 5, `expected configuration snippets in docs/, found ${snippets.length}`);
    for (const block of snippets) {
      let raw: unknown;
      assert.doesNotThrow(() => (raw = parseYaml(block.text)), `${block.file}:${block.line} is not valid YAML`);
      // Most sections ignore unknown keys, so a misspelt key would pass validation: look for them here.
      assert.deepEqual(unknownKeys(raw ?? {}), [], `${block.file}:${block.line} has keys the schema does not know`);
      try {
        validateConfig(raw ?? {});
      } catch (err) {
        assert.fail(`${block.file}:${block.line}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });

  test('every `portcullis …` command shown names an existing command', () => {
    const program = buildProgram();
    const problems: string[] = [];
    let checked = 0;
    for (const file of FILES) {
      const sources: { where: string; text: string }[] = [
        ...fencedBlocks(file).filter((b) => SHELL_LANGS.has(b.lang)).map((b) => ({ where: `${b.file}:${b.line}`, text: b.text })),
        ...[...prose(file).matchAll(/`(portcullis [^`]+)`/g)].map((m) => ({ where: relative(ROOT, file), text: m[1] ?? '' })),
      ];
      for (const { where, text } of sources) {
        for (const words of commandWords(text)) {
          checked++;
          const problem = checkCommand(program, words);
          if (problem) problems.push(`${where}: portcullis ${words.join(' ')}: ${problem}`);
        }
      }
    }
    assert.ok(checked >= 20, `expected commands in the docs, found ${checked}`);
    assert.deepEqual(problems, []);
  });
});
