/**
 * JSON.parse without losing 64-bit integers (Stalwart's spanId and other u64 values): integer
 * literals outside the safe range are quoted before parsing, so they arrive as exact decimal
 * strings. A small scanner, not a regex: it knows where strings begin and end, escapes included.
 */

/** Text with every unsafe integer literal wrapped in quotes; anything not JSON is left for JSON.parse to refuse. */
export function quoteBigIntegers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copied, start) + '"' + literal + '"';
        copied = i;
      }
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Index just past the closing quote of the string starting at `start` (or the end of the text). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** JSON.parse where integers beyond 2^53 come back as decimal strings; throws SyntaxError like JSON.parse. */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text)) as unknown;
}

/** A u64/i64 field read exactly: a safe number, or a quoted decimal string from parseJsonExact. */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  return null;
}
