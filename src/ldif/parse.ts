/**
 * An RFC 2849 LDIF parser for content records (and `changetype: add` change records): line
 * folding, comments, `version: 1`, base64 values, attribute options. Anything it cannot take
 * faithfully (URL values, controls, modify/delete/modrdn records) is refused with an error
 * naming the line, the record's dn and the field — never the value, which may be a secret.
 */
import { parseDn } from './dn.js';

export class LdifError extends Error {
  constructor(
    readonly line: number,
    readonly dn: string | null,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`line ${line}${dn !== null ? ` (dn: ${dn})` : ''}: ${reason}`, options);
    this.name = 'LdifError';
  }
}

export interface LdifAttribute {
  /** As written, without options, e.g. `userPassword`. */
  name: string;
  /** Lowercased name for case-insensitive matching, e.g. `userpassword`. */
  type: string;
  /** Lowercased options, e.g. `['lang-de']` for `displayName;lang-de`. */
  options: string[];
  /** The value as UTF-8 text (lossy when `bytes` is not UTF-8; see `isText`). */
  value: string;
  bytes: Buffer;
  /** Whether `bytes` is valid UTF-8. */
  isText: boolean;
  /** Whether the value was written base64-encoded (`attr:: …`). */
  base64: boolean;
  line: number;
}

export interface LdifRecord {
  dn: string;
  /** Line of the `dn:` line. */
  line: number;
  /** `add` for a `changetype: add` record, null for a plain content record. */
  changetype: 'add' | null;
  attributes: LdifAttribute[];
}

interface LogicalLine {
  text: string;
  line: number;
}

const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9-]+)*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseLdif(text: string): LdifRecord[] {
  const blocks = unfold(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const records: LdifRecord[] = [];
  blocks.forEach((block, index) => {
    let lines = block;
    if (index === 0 && lines[0] && /^version\s*:/i.test(lines[0].text)) {
      const first = lines[0];
      const version = first.text.slice(first.text.indexOf(':') + 1).trim();
      if (version !== '1') throw new LdifError(first.line, null, `unsupported LDIF version "${version}" (expected 1)`);
      lines = lines.slice(1);
      if (lines.length === 0) return;
    }
    records.push(parseRecord(lines));
  });
  return records;
}

/** Joins folded lines, drops comments and splits into blank-line separated blocks. */
function unfold(text: string): LogicalLine[][] {
  const blocks: LogicalLine[][] = [];
  let block: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  let inComment = false;
  const physical = text.split(/\r?\n/);
  physical.forEach((raw, i) => {
    const number = i + 1;
    if (raw.startsWith(' ')) {
      if (inComment) return;
      if (!current) throw new LdifError(number, null, 'continuation line (starting with a space) without a line to continue');
      current.text += raw.slice(1);
      return;
    }
    inComment = false;
    if (raw === '') {
      current = null;
      if (block.length) blocks.push(block);
      block = [];
      return;
    }
    if (raw.startsWith('#')) {
      inComment = true;
      return;
    }
    current = { text: raw, line: number };
    block.push(current);
  });
  if (block.length) blocks.push(block);
  return blocks;
}

interface RawLine {
  name: string;
  kind: 'plain' | 'base64' | 'url';
  value: string;
  line: number;
}

function splitLine(logical: LogicalLine, dn: string | null): RawLine {
  const colon = logical.text.indexOf(':');
  // Never echo the line: a malformed userPassword line would leak the secret into the error.
  if (colon < 1) throw new LdifError(logical.line, dn, 'expected "attribute: value" (no attribute name before a ":")');
  const name = logical.text.slice(0, colon);
  let rest = logical.text.slice(colon + 1);
  let kind: RawLine['kind'] = 'plain';
  if (rest.startsWith(':')) {
    kind = 'base64';
    rest = rest.slice(1);
  } else if (rest.startsWith('<')) {
    kind = 'url';
    rest = rest.slice(1);
  }
  return { name, kind, value: rest.replace(/^ +/, ''), line: logical.line };
}

function parseRecord(lines: LogicalLine[]): LdifRecord {
  const [first, ...rest] = lines;
  if (!first) throw new Error('empty block');
  const head = splitLine(first, null);
  if (head.name.toLowerCase() !== 'dn') {
    throw new LdifError(first.line, null, `expected a record to start with "dn:", got "${preview(head.name)}:"`);
  }
  if (head.kind === 'url') throw new LdifError(first.line, null, 'a dn cannot be given as a URL');
  let dn = head.value;
  if (head.kind === 'base64') {
    const bytes = decodeBase64(head.value);
    const text = bytes && decodeUtf8(bytes);
    if (text == null) throw new LdifError(first.line, null, 'invalid base64 or non-UTF-8 text in dn');
    dn = text;
  }
  try {
    parseDn(dn);
  } catch (error) {
    throw new LdifError(first.line, dn, `invalid dn: ${(error as Error).message}`);
  }

  const record: LdifRecord = { dn, line: first.line, changetype: null, attributes: [] };
  let index = 0;
  const next = rest[0] ? splitLine(rest[0], dn) : null;
  if (next && next.name.toLowerCase() === 'control') {
    throw new LdifError(next.line, dn, 'LDIF controls are not supported');
  }
  if (next && next.name.toLowerCase() === 'changetype') {
    const type = next.value.trim().toLowerCase();
    if (type !== 'add') {
      throw new LdifError(next.line, dn, `changetype "${preview(next.value.trim())}" is not supported: only entries (or changetype: add) can be imported`);
    }
    record.changetype = 'add';
    index = 1;
  }
  for (const logical of rest.slice(index)) record.attributes.push(parseAttribute(splitLine(logical, dn), dn));
  if (record.attributes.length === 0) throw new LdifError(first.line, dn, 'the entry has no attributes');
  return record;
}

function parseAttribute(raw: RawLine, dn: string): LdifAttribute {
  const lower = raw.name.toLowerCase();
  if (lower === 'dn') throw new LdifError(raw.line, dn, 'a second "dn:" inside a record; separate records with a blank line');
  if (lower === 'changetype' || lower === 'control') throw new LdifError(raw.line, dn, `"${raw.name}:" must directly follow the dn line`);
  if (!ATTRIBUTE_DESCRIPTION.test(raw.name)) throw new LdifError(raw.line, dn, `invalid attribute description "${preview(raw.name)}"`);
  if (raw.kind === 'url') {
    throw new LdifError(raw.line, dn, `${raw.name}: values read from a URL or file ("${raw.name}:< …") are not supported; inline the value as "${raw.name}:: <base64>"`);
  }
  const [name = raw.name, ...options] = raw.name.split(';');
  let bytes: Buffer;
  if (raw.kind === 'base64') {
    const decoded = decodeBase64(raw.value);
    if (!decoded) throw new LdifError(raw.line, dn, `invalid base64 in ${raw.name}`);
    bytes = decoded;
  } else {
    bytes = Buffer.from(raw.value, 'utf8');
  }
  const text = decodeUtf8(bytes);
  return {
    name,
    type: name.toLowerCase(),
    options: options.map((o) => o.toLowerCase()),
    value: text ?? bytes.toString('utf8'),
    bytes,
    isText: text !== null,
    base64: raw.kind === 'base64',
    line: raw.line,
  };
}

/** Strict RFC 4648 base64 (padding optional); null when invalid. */
export function decodeBase64(value: string): Buffer | null {
  const compact = value.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return null;
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  if (compact !== unpadded && compact !== padded) return null;
  const bytes = Buffer.from(padded, 'base64');
  return bytes.toString('base64') === padded ? bytes : null;
}

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function preview(text: string): string {
  const printable = text.replace(/[\x00-\x1f\x7f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 37)}...` : printable;
}
