/**
 * Checks what a backend answered (customer code and remote services can answer anything) and turns
 * it into the pipeline's Account. A malformed answer is "garbled": a temporary failure.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Account } from '../../pipeline/decision.js';
import type { BackendAccount, VerifyResult } from '../api.js';

const text = z.string().max(1024);

export const backendAccountSchema = z.object({
  login: z.string().trim().min(1).max(256),
  id: z.string().min(1).max(256).optional(),
  mail: text.nullable().optional(),
  aliases: z.array(text).max(1000).optional(),
  displayName: text.optional(),
  groups: z.array(text).max(10_000).optional(),
  roles: z.array(text).max(1000).optional(),
  enabled: z.boolean().optional(),
  passwordVersion: z.number().int().min(0).optional(),
});

const verifyResultSchema = z.union([
  z.object({ ok: z.literal(true), account: backendAccountSchema }),
  z.object({ ok: z.literal(false), reason: z.literal('unknown-user') }),
  z.object({ ok: z.literal(false), reason: z.enum(['invalid-credentials', 'account-disabled']).optional(), account: backendAccountSchema.optional() }),
]);

export class GarbledAnswerError extends Error {
  constructor(what: string, issues: string) {
    super(`garbled ${what} answer: ${issues}`);
    this.name = 'GarbledAnswerError';
  }
}

export function parseVerifyResult(value: unknown): VerifyResult {
  const parsed = verifyResultSchema.safeParse(value);
  if (!parsed.success) throw new GarbledAnswerError('verify', summarize(parsed.error));
  return parsed.data as VerifyResult;
}

export function parseLookupResult(value: unknown): BackendAccount | null {
  if (value === null || value === undefined) return null;
  const parsed = backendAccountSchema.safeParse(value);
  if (!parsed.success) throw new GarbledAnswerError('lookup', summarize(parsed.error));
  return parsed.data;
}

/** The Account every front end serves; addresses and names lowercased as in the local store. */
export function toAccount(backend: string, info: BackendAccount): Account {
  const login = info.login.trim().toLowerCase();
  const mail = info.mail ? info.mail.trim().toLowerCase() : null;
  const aliases = [...new Set((info.aliases ?? []).map((a) => a.trim().toLowerCase()))].filter((a) => a && a !== mail);
  return {
    kind: 'user',
    id: info.id ?? derivedId(backend, login),
    uid: login,
    mail,
    aliases,
    displayName: info.displayName?.trim() || login,
    groups: [...new Set((info.groups ?? []).map((g) => g.trim().toLowerCase()))].filter(Boolean).sort(),
    roles: info.roles ?? [],
    backend,
  };
}

/** A stable UUID-shaped id for backends that have none: the same backend and login always give the same id. */
export function derivedId(backend: string, login: string): string {
  const h = createHash('sha256').update(`portcullis-backend\0${backend}\0${login}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
