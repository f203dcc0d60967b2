/**
 * An RFC 2849 LDIF writer: values that are not SAFE-STRINGs (non-ASCII, leading space, colon
 * or "<", trailing space, control line breaks) are base64-encoded; lines fold at 76 columns.
 */

export type LdifValue = string | Uint8Array;

export interface LdifEntry {
  dn: string;
  attributes: ReadonlyArray<readonly [name: string, value: LdifValue]>;
  /** Comment lines written above the entry (without the leading "# "). */
  comments?: string[];
}

export interface WriteOptions {
  /** Maximum line length; 76 by default. */
  width?: number;
  /** Comment lines at the top of the file. */
  header?: string[];
}

const SAFE_STRING = /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/;

/** RFC 2849 SAFE-STRING, and not ending in a space (which the RFC says SHOULD be base64). */
export function isSafeString(value: string): boolean {
  return SAFE_STRING.test(value) && !value.endsWith(' ');
}

/** One `name: value` (or `name:: base64`) line, folded, ending in a newline. */
export function formatAttribute(name: string, value: LdifValue, width = 76): string {
  if (typeof value === 'string' && isSafeString(value)) return fold(value === '' ? `${name}:` : `${name}: ${value}`, width);
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  return fold(`${name}:: ${bytes.toString('base64')}`, width);
}

export function formatEntry(entry: LdifEntry, width = 76): string {
  let out = '';
  for (const comment of entry.comments ?? []) out += fold(`# ${comment}`, width);
  out += formatAttribute('dn', entry.dn, width);
  for (const [name, value] of entry.attributes) out += formatAttribute(name, value, width);
  return out;
}

export function writeLdif(entries: Iterable<LdifEntry>, options: WriteOptions = {}): string {
  const width = options.width ?? 76;
  if (width < 2) throw new RangeError('width must be at least 2');
  const parts: string[] = [];
  let head = '';
  for (const comment of options.header ?? []) head += fold(`# ${comment}`, width);
  parts.push(`${head}version: 1\n`);
  for (const entry of entries) parts.push(formatEntry(entry, width));
  return parts.join('\n');
}

/** Folds a logical line: the first physical line holds `width` characters, the rest a space + width-1. */
function fold(line: string, width: number): string {
  const chars = [...line];
  if (chars.length <= width) return `${line}\n`;
  let out = `${chars.slice(0, width).join('')}\n`;
  for (let i = width; i < chars.length; i += width - 1) out += ` ${chars.slice(i, i + width - 1).join('')}\n`;
  return out;
}
