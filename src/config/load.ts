/** Reads the configuration file and PORTCULLIS_* overrides, and validates them all at once. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** A YAML file; absent means embedded defaults. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const raw = options.file ? readConfigFile(options.file) : {};
  applyEnvOverrides(raw, options.env ?? process.env);
  return validateConfig(raw);
}

export function validateConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, raw)));
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read ${file}: ${(err as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${file} is not valid YAML: ${(err as Error).message}`]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`${file}: expected a mapping of keys at the top level`]);
  }
  return parsed as Record<string, unknown>;
}

/**
 * PORTCULLIS_LDAP__BASE_DN=o=libregraph-idm sets ldap.baseDn: `__` separates levels, words in
 * SNAKE_CASE become camelCase, and values are read as YAML scalars (numbers, booleans, lists).
 */
export function applyEnvOverrides(target: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('PORTCULLIS_') || value === undefined || name === 'PORTCULLIS_CONFIG') continue;
    const path = name.slice('PORTCULLIS_'.length).split('__').map(snakeToCamel);
    let node = target;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = parseEnvValue(value);
  }
}

function parseEnvValue(value: string): unknown {
  try {
    return parseYaml(value) ?? value;
  } catch {
    return value;
  }
}

function snakeToCamel(word: string): string {
  return word.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const SECRET_KEYS = /key|secret|password|pass|token/i;

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const key = issue.path.join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `${key === '(top level)' ? '' : key + ': '}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const value = valueAt(raw, issue.path);
  const shown = SECRET_KEYS.test(String(issue.path[issue.path.length - 1] ?? '')) ? '(hidden)' : JSON.stringify(value);
  return `${key}: ${shown === undefined ? 'missing' : shown} is invalid — ${issue.message}`;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
