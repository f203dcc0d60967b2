/** Plain-text tables for the command line; --json output uses the shared identity views. */
export { publicAppPassword, publicGroup, publicUser } from '../identity/views.js';

export function table(rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function keyValues(entries: Array<[string, string]>): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${(k + ':').padEnd(width + 2)}${v}`).join('\n');
}
