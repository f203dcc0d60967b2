/** SHA-256-crypt (`$5$`) and SHA-512-crypt (`$6$`), after Ulrich Drepper's specification. */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { MalformedHashError } from './errors.js';
import { byteAt, crypt64From24, CRYPT64_RE, safeEqualText } from './encoding.js';

type Variant = { id: '5' | '6'; algorithm: 'sha256' | 'sha512'; scheme: string; size: number; encodedLength: number };

const VARIANTS: Record<'5' | '6', Variant> = {
  '5': { id: '5', algorithm: 'sha256', scheme: 'sha256-crypt', size: 32, encodedLength: 43 },
  '6': { id: '6', algorithm: 'sha512', scheme: 'sha512-crypt', size: 64, encodedLength: 86 },
};

const ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;
/** Rounds between yields: passlib's default of 656,000 rounds would otherwise block the event loop for seconds. */
const ROUNDS_PER_SLICE = 2000;

export interface ShaCryptHash {
  variant: Variant;
  /** null when the hash has no `rounds=` field (then 5000 applies). */
  rounds: number | null;
  salt: string;
  hash: string;
}

/** Parses `$5$[rounds=N$]salt$hash` / `$6$...`; throws MalformedHashError. */
export function parseShaCrypt(stored: string): ShaCryptHash {
  const m = /^\$([56])\$(?:rounds=(\d{1,10})\$)?([^$]*)\$([^$]*)$/.exec(stored);
  const variant = m?.[1] === '5' || m?.[1] === '6' ? VARIANTS[m[1]] : undefined;
  if (!m || !variant) throw new MalformedHashError('sha-crypt', 'not a $5$/$6$ string');
  const hash = m[4] ?? '';
  if (hash.length !== variant.encodedLength || !CRYPT64_RE.test(hash)) {
    throw new MalformedHashError(variant.scheme, 'bad digest length or alphabet');
  }
  const rounds = m[2] === undefined ? null : Number(m[2]);
  // The specification truncates salts to 16 characters.
  return { variant, rounds, salt: (m[3] ?? '').slice(0, 16), hash };
}

/** Computes the encoded digest (the part after the last `$`). */
export async function shaCryptDigest(password: string, parsed: ShaCryptHash): Promise<string> {
  const { algorithm, size } = parsed.variant;
  const H = (...parts: Buffer[]): Buffer => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const rounds = Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, parsed.rounds ?? ROUNDS_DEFAULT));
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(parsed.salt, 'utf8');

  const B = H(P, S, P);
  const a = createHash(algorithm).update(P).update(S);
  a.update(repeatTo(B, P.length));
  for (let n = P.length; n > 0; n >>>= 1) a.update(n & 1 ? B : P);
  const A = a.digest();

  const Pseq = repeatTo(H(...Array<Buffer>(P.length).fill(P)), P.length);
  const Sseq = repeatTo(H(...Array<Buffer>(16 + byteAt(A, 0)).fill(S)), S.length);

  let C = A;
  for (let i = 0; i < rounds; i++) {
    if (i > 0 && i % ROUNDS_PER_SLICE === 0) await yieldToLoop();
    const h = createHash(algorithm);
    h.update(i & 1 ? Pseq : C);
    if (i % 3) h.update(Sseq);
    if (i % 7) h.update(Pseq);
    h.update(i & 1 ? C : Pseq);
    C = h.digest();
  }
  return size === 64 ? encode512(C) : encode256(C);
}

/** Verifies a password against a parsed `$5$`/`$6$` hash in constant time. */
export async function verifyShaCrypt(parsed: ShaCryptHash, password: string): Promise<boolean> {
  return safeEqualText(await shaCryptDigest(password, parsed), parsed.hash);
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let off = 0; off < length; off += block.length) block.copy(out, off, 0, Math.min(block.length, length - off));
  return out;
}

// The byte orders below are the specification's tables, written as rotations of (i, i+k, i+2k).
function encode512(c: Buffer): string {
  let out = '';
  for (let i = 0; i < 21; i++) {
    const t = [i, i + 21, i + 42];
    const [x, y, z] = rotate(t, i % 3);
    out += crypt64From24(byteAt(c, x), byteAt(c, y), byteAt(c, z), 4);
  }
  return out + crypt64From24(0, 0, byteAt(c, 63), 2);
}

function encode256(c: Buffer): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    const t = [i, i + 10, i + 20];
    // sha256 rotates the other way: (i+20, i, i+10) for i%3==1.
    const [x, y, z] = rotate(t, (3 - (i % 3)) % 3);
    out += crypt64From24(byteAt(c, x), byteAt(c, y), byteAt(c, z), 4);
  }
  return out + crypt64From24(0, byteAt(c, 31), byteAt(c, 30), 3);
}

function rotate(t: number[], by: number): [number, number, number] {
  const r = [...t.slice(by), ...t.slice(0, by)];
  return [r[0] ?? 0, r[1] ?? 0, r[2] ?? 0];
}
