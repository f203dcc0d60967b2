/**
 * The HTTP delegate signs each request body with HMAC-SHA256 over the raw bytes, sent as
 * `sha256=<hex>`. The customer's service checks it with verifySignature (constant time), and can
 * refuse stale requests by the body's `timestamp`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifySignature(secret: string, body: string | Buffer, header: string | undefined | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, body), 'utf8');
  const actual = Buffer.from(header.trim(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
