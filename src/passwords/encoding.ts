/** Byte helpers shared by the verifiers: crypt(3) base64, strict base64 and constant-time compare. */
import { timingSafeEqual } from 'node:crypto';

const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt(3)'s "b64_from_24bit": three bytes, least significant six bits first. */
export function crypt64From24(b2: number, b1: number, b0: number, chars: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += CRYPT64.charAt(w & 0x3f);
    w >>>= 6;
  }
  return out;
}

/** Reads byte `i` of a digest; indices come from fixed tables, so a miss is a bug. */
export function byteAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b === undefined) throw new RangeError(`digest index ${i} out of range`);
  return b;
}

export const CRYPT64_RE = /^[./0-9A-Za-z]*$/;

/** Decodes standard base64 (padding optional); null when the text is not base64. */
export function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  return Buffer.from(text, 'base64');
}

/** passlib's "adapted base64": '.' instead of '+', no padding. */
export function decodeAdaptedBase64(text: string): Buffer | null {
  if (text.includes('+')) return null;
  return decodeBase64(text.replaceAll('.', '+'));
}

/** Constant-time equality; lengths come from the stored hash, so comparing them leaks nothing secret. */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time equality of two ASCII encodings (crypt strings). */
export function safeEqualText(a: string, b: string): boolean {
  return safeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
