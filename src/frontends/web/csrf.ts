/**
 * CSRF: a synchronizer token per session, sent back as the X-CSRF-Token header (fetch) or a
 * `_csrf` field (forms), and checked on every state-changing request. Before login there is no
 * session, so the login form gets a signed double-submit token bound to a short-lived cookie.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { KeyedHash } from '../../pipeline/keyed-hash.js';

export const CSRF_HEADER = 'x-csrf-token';

/** The token the request presents: the header, else a `_csrf` field of a JSON or form body. */
export function presentedCsrf(request: FastifyRequest): string | null {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body;
  if (typeof body === 'object' && body !== null && '_csrf' in body) {
    const field = (body as Record<string, unknown>)['_csrf'];
    if (typeof field === 'string' && field !== '') return field;
  }
  return null;
}

export function sameToken(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Requests a browser sends from another site are refused outright, whatever they carry. */
export function crossSite(request: FastifyRequest): boolean {
  return request.headers['sec-fetch-site'] === 'cross-site';
}

export class LoginCsrf {
  constructor(private readonly keyed: KeyedHash) {}

  /** A fresh nonce for the cookie and the token derived from it for the page. */
  issue(): { nonce: string; token: string } {
    const nonce = randomBytes(24).toString('base64url');
    return { nonce, token: this.tokenFor(nonce) };
  }

  verify(nonce: string | undefined, presented: string | null): boolean {
    if (!nonce || nonce.length > 64) return false;
    return sameToken(presented, this.tokenFor(nonce));
  }

  private tokenFor(nonce: string): string {
    return this.keyed.cacheKey(['web', 'login-csrf'], nonce);
  }
}
