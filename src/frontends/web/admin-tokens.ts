/** Admin API tokens: 256 random bits shown once, stored as their SHA-256, found by that digest. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AdminToken, WebStore } from '../../store/web-store.js';

const PREFIX = 'pct_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeAdminToken(value: string): boolean {
  return value.startsWith(PREFIX) && value.length === PREFIX.length + 43 && /^[A-Za-z0-9_-]+$/.test(value.slice(PREFIX.length));
}

export async function createAdminToken(
  store: WebStore,
  input: { userId: string; name: string; expiresAt: Date | null },
): Promise<{ token: AdminToken; secret: string }> {
  const secret = PREFIX + randomBytes(32).toString('base64url');
  const token: AdminToken = {
    id: randomUUID(),
    userId: input.userId,
    name: input.name,
    tokenHash: hashToken(secret),
    createdAt: new Date(),
    expiresAt: input.expiresAt,
    lastUsedAt: null,
  };
  await store.createAdminToken(token);
  return { token, secret };
}

/** The live token for a presented secret, or null (unknown, malformed or expired). */
export async function findLiveToken(store: WebStore, secret: string, nowMs: number): Promise<AdminToken | null> {
  if (!looksLikeAdminToken(secret)) return null;
  const token = await store.findAdminToken(hashToken(secret));
  if (!token || (token.expiresAt !== null && token.expiresAt.getTime() <= nowMs)) return null;
  return token;
}
