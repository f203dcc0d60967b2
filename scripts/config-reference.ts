/**
 * Generates docs/configuration.md from the configuration schema itself (zod 4's JSON Schema export):
 * every key with its type, default and the description given by `.describe()` in src/config/.
 * `npm run docs:config` rewrites the file; test/docs.test.ts fails when it is out of date.
 *
 *   node --import tsx scripts/config-reference.ts           # print to stdout
 *   node --import tsx scripts/config-reference.ts --write   # rewrite docs/configuration.md
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { configSchema } from '../src/config/schema.js';

export const CONFIGURATION_MD = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

/** The part of JSON Schema that zod emits for this schema. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
}

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** Defaults computed on the machine that loads the schema: documented as the rule, not the value. */
const MACHINE_DEFAULTS: Record<string, string> = {
  'passwords.maxConcurrent': 'the number of CPUs (`os.availableParallelism()`)',
};

/** Defaults longer than this go below the table as YAML. */
const INLINE_DEFAULT_MAX = 60;

const SECTION_TEXT: Record<string, string> = {
  '': 'Top-level keys.',
  store: 'Where identities live: one SQLite file (the embedded default) or PostgreSQL for several nodes.',
  passwords: 'Hashing of primary passwords and the admission queue in front of it.',
  auth: 'The decision pipeline: verification cache, master-user logins, bearer tokens.',
  backends: 'Authentication backends besides the local store. With nothing set, only the local store is asked.',
  ldap: 'The LDAPv3 directory front end (Stalwart, Dovecot, Keycloak, OpenCloud).',
  http: 'The HTTP front end: auth APIs, webhooks, metrics, admin API and web UI, and who may call them.',
  nginx: 'Answers of the nginx mail `auth_http` endpoint.',
  redis: 'Shared counters, bans and caches for several nodes. Unset: everything stays in this process.',
  guard: 'Attack detection: counting rules, bans, allow-lists, trusted relays, DNSBL, webhook intake and ban push-out.',
  log: 'Structured logs (pino, JSON lines on standard output).',
  metrics: 'Prometheus metrics at `GET /metrics`.',
  web: 'The admin UI, the self-service page and the admin API.',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function code(value: unknown): string {
  return '`' + JSON.stringify(value) + '`';
}

/** The variants of a union, or the schema itself. */
function variants(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum) return schema.enum.map(code).join(' | ');
  if (schema.anyOf ?? schema.oneOf) return variants(schema).map(typeOf).join(' or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  switch (type) {
    case 'integer':
    case 'number':
      return `${type}${range(schema)}`;
    case 'string':
      return schema.format === 'uri' ? 'URL' : 'string';
    case 'array':
      return `list of ${schema.items ? itemsType(schema.items) : 'values'}`;
    case 'object':
      if (schema.properties) return 'object';
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `map of ${typeOf(schema.additionalProperties)}`;
      }
      return 'map';
    default:
      return type;
  }
}

function itemsType(items: JsonSchema): string {
  const tags = (items.anyOf ?? items.oneOf ?? []).map(tagOf);
  if (tags.length > 0 && tags.every((t) => t !== null)) return `objects (${tags.join(', ')})`;
  return plural(typeOf(items));
}

function plural(type: string): string {
  return /^(string|integer|number|boolean|object|URL)\b/.test(type) ? type.replace(/^(\w+)/, '$1s') : type;
}

function range(schema: JsonSchema): string {
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** The discriminator value of a union variant (`type: ldap`), if it has one. */
function tagOf(schema: JsonSchema): string | null {
  const type = schema.properties?.['type'];
  return type?.const !== undefined ? `type=${String(type.const)}` : null;
}

class Reference {
  readonly rows: Row[] = [];
  readonly longDefaults: { key: string; value: unknown }[] = [];

  walk(schema: JsonSchema, key: string, required: boolean): void {
    this.row(schema, key, required);
    this.children(schema, key);
  }

  private children(schema: JsonSchema, key: string): void {
    for (const variant of variants(schema)) {
      const tag = (schema.anyOf ?? schema.oneOf) ? tagOf(variant) : null;
      const base = tag === null ? key : key.endsWith('[]') ? `${key.slice(0, -2)}[${tag}]` : `${key}(${tag})`;
      if (variant.properties) {
        const required = new Set(variant.required ?? []);
        for (const [name, child] of Object.entries(variant.properties)) {
          this.walk(child, base ? `${base}.${name}` : name, required.has(name));
        }
      }
      if (variant.items && variant.items.type !== undefined ? variant.items.type === 'object' : Boolean(variant.items?.anyOf ?? variant.items?.oneOf)) {
        this.children(variant.items as JsonSchema, `${base}[]`);
      }
      const values = variant.additionalProperties;
      if (typeof values === 'object' && (values.properties || values.anyOf || values.oneOf)) this.children(values, `${base}.<name>`);
    }
  }

  private row(schema: JsonSchema, key: string, required: boolean): void {
    if (key === '') return;
    // Sections and groups of keys are shown by their keys, unless they say something themselves.
    const isGroup = schema.properties !== undefined && schema.anyOf === undefined;
    if (isGroup && !schema.description) return;
    this.rows.push({ key, type: typeOf(schema), default: this.defaultText(schema, key, required, isGroup), description: schema.description ?? '' });
  }

  private defaultText(schema: JsonSchema, key: string, required: boolean, isGroup: boolean): string {
    const machine = MACHINE_DEFAULTS[key];
    if (machine) return machine;
    if (schema.default === undefined) return required ? '*required*' : '—';
    if (isGroup) return '—';
    const text = JSON.stringify(schema.default);
    if (text.length <= INLINE_DEFAULT_MAX) return '`' + text + '`';
    this.longDefaults.push({ key, value: schema.default });
    return `[below](#default-${anchor(key)})`;
  }
}

function anchor(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const TOP_LEVEL_SECTIONS = new Set(Object.keys(SECTION_TEXT).filter((k) => k !== ''));

/** The top-level section a key belongs to; '' for top-level scalars. */
function section(key: string): string {
  const top = key.split(/[.([]/)[0] ?? '';
  return TOP_LEVEL_SECTIONS.has(top) ? top : '';
}

/** Key paths in `raw` that the schema does not know (the schema itself ignores them in most sections). */
export function unknownKeys(raw: unknown): string[] {
  const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const found: string[] = [];
  const visit = (value: unknown, schema: JsonSchema, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, schema.items ?? {}, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const options = variants(schema).filter((v) => v.properties !== undefined);
    const known = (key: string): JsonSchema | undefined => options.map((v) => v.properties?.[key]).find((p) => p !== undefined);
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const property = known(key);
      if (property) visit(child, property, at);
      else if (typeof schema.additionalProperties === 'object') visit(child, schema.additionalProperties, at);
      else if (options.length > 0) found.push(at);
    }
  };
  visit(raw, json, '');
  return found;
}

export function renderConfigReference(): string {
  const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const reference = new Reference();
  reference.walk(json, '', true);

  const bySection = new Map<string, Row[]>();
  for (const row of reference.rows) {
    const name = section(row.key);
    bySection.set(name, [...(bySection.get(name) ?? []), row]);
  }

  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated by scripts/config-reference.ts from src/config/ (npm run docs:config). Do not edit by hand: test/docs.test.ts fails when this file and the schema differ. -->',
    '',
    'One YAML file (`portcullis.yaml` in the working directory, `--config FILE`, or `$PORTCULLIS_CONFIG`)',
    'plus environment overrides: `PORTCULLIS_` followed by the key path in upper snake case with `__`',
    'between levels, values read as YAML scalars, e.g. `PORTCULLIS_LDAP__BASE_DN=o=libregraph-idm` sets',
    '`ldap.baseDn` and `PORTCULLIS_GUARD__DNSBL__ENABLED=true` sets `guard.dnsbl.enabled`. Every key has a',
    'default. Unknown keys are refused at the top level and under `backends`; in the other sections they',
    'are currently ignored, so a misspelt key silently keeps its default: check the result with',
    '`portcullis config show`, which prints the effective configuration with secrets hidden.',
    '`portcullis config check` validates a file without starting and names every problem at once.',
    '',
    'In key paths, `[]` stands for every element of a list, `<name>` for any key of a map, and',
    '`[type=…]` for the elements of one shape in a list whose elements have several. *required* marks keys',
    'that must be given whenever their parent is.',
    '',
  ];
  const order = ['', ...[...TOP_LEVEL_SECTIONS]];
  for (const name of order) {
    const rows = bySection.get(name);
    if (!rows || rows.length === 0) continue;
    out.push(`## ${name === '' ? 'Top level' : '`' + name + '`'}`, '', SECTION_TEXT[name] ?? '', '');
    out.push('| key | type | default | description |', '|---|---|---|---|');
    for (const row of rows) out.push(`| \`${row.key}\` | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.description)} |`);
    out.push('');
  }
  if (reference.longDefaults.length > 0) {
    out.push('## Defaults too long for the tables', '');
    for (const { key, value } of reference.longDefaults) {
      out.push(`### default: \`${key}\``, '', `<a id="default-${anchor(key)}"></a>`, '', '```yaml', toYaml(value).trimEnd(), '```', '');
    }
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderConfigReference();
  if (process.argv.includes('--write')) {
    writeFileSync(CONFIGURATION_MD, text);
    process.stderr.write(`wrote ${CONFIGURATION_MD}\n`);
  } else {
    process.stdout.write(text);
  }
}
