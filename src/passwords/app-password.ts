/**
 * Application passwords: 4 groups of 4 characters, e.g. `k7fw-m2qx-9tbe-hp4c`, from a
 * 31-character alphabet without look-alikes (0/o, 1/l/i): about 79 bits, easy to type on a
 * phone, and never of Stalwart's `app_` + 36 base32 shape, so the two cannot be confused.
 */
import { randomBytes } from 'node:crypto';

export const APP_PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;
const CANONICAL_RE = new RegExp(`^[${APP_PASSWORD_ALPHABET}]{${LENGTH}}$`);

/** Entropy of one generated value in bits (16 × log2 31 ≈ 79.3). */
export const APP_PASSWORD_BITS = LENGTH * Math.log2(APP_PASSWORD_ALPHABET.length);

/**
 * A fresh application password in canonical form. Each character takes the low five bits
 * of a random byte and rejects values ≥ 31, so every character is exactly uniform.
 */
export function generateAppPassword(random: (size: number) => Uint8Array = randomBytes): string {
  let chars = '';
  while (chars.length < LENGTH) {
    for (const byte of random(LENGTH)) {
      const v = byte & 0x1f;
      if (v < APP_PASSWORD_ALPHABET.length && chars.length < LENGTH) chars += APP_PASSWORD_ALPHABET.charAt(v);
    }
  }
  return group(chars);
}

/**
 * Canonical form of what a user typed: case, spaces and dashes are forgiven. Returns null
 * when it cannot be an application password. Hash and compare the canonical form.
 */
export function normalizeAppPassword(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  return CANONICAL_RE.test(compact) ? group(compact) : null;
}

/** Whether a typed secret has the shape of an application password (not whether it is valid). */
export function looksLikeAppPassword(input: string): boolean {
  return normalizeAppPassword(input) !== null;
}

function group(chars: string): string {
  const parts: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) parts.push(chars.slice(i, i + GROUP_LENGTH));
  return parts.join('-');
}
