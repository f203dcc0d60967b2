/**
 * Database row shapes and their decoding into model entities. Where the dialects differ the
 * row type says so: SQLite gives epoch ms, 0/1 and JSON text; pg gives Date, boolean, parsed
 * jsonb and arrays (and int8 as a string).
 */
import type {
  AppPassword,
  AppPasswordScope,
  AuditEntry,
  Domain,
  Group,
  ServiceAccount,
  TrustedIssuer,
  User,
} from '../../identity/model.js';

type Ts = number | Date;
type Bool = number | boolean;
type Json = string | unknown[] | Record<string, unknown>;

export const date = (v: Ts): Date => (v instanceof Date ? v : new Date(v));
const dateOrNull = (v: Ts | null): Date | null => (v === null ? null : date(v));
const bool = (v: Bool): boolean => v === true || v === 1;
const json = (v: Json): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const strings = (v: Json): string[] => {
  if (v === '[]') return []; // most users: no aliases, no roles (no parse, no copy)
  const list = json(v);
  return Array.isArray(list) ? list.map(String) : [];
};
/** Aliases come back in no particular order from the aggregate: sort for stable output. */
const sorted = (v: Json): string[] => strings(v).sort();

export interface DomainRow {
  name: string;
  created_at: Ts;
}
export const toDomain = (r: DomainRow): Domain => ({ name: r.name, createdAt: date(r.created_at) });

export interface UserRow {
  id: string;
  login: string;
  domain: string;
  mail: string;
  display_name: string;
  enabled: Bool;
  roles: Json;
  password_hash: string | null;
  password_changed_at: Ts | null;
  credential_version: number;
  created_at: Ts;
  updated_at: Ts;
  aliases: Json;
}
export const toUser = (r: UserRow): User => ({
  id: r.id,
  login: r.login,
  domain: r.domain,
  mail: r.mail,
  aliases: sorted(r.aliases),
  displayName: r.display_name,
  enabled: bool(r.enabled),
  roles: strings(r.roles),
  passwordHash: r.password_hash,
  passwordChangedAt: dateOrNull(r.password_changed_at),
  credentialVersion: Number(r.credential_version),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

/** user_view's columns as USER_COLUMNS selects them, as an array (the hot look-ups read raw rows). */
export const USER_COLUMNS =
  'v.id, v.login, v.domain, v.mail, v.display_name, v.enabled, v.roles, v.password_hash, v.password_changed_at, v.credential_version, v.created_at, v.updated_at, v.aliases';
export type UserTuple = readonly [
  id: string,
  login: string,
  domain: string,
  mail: string,
  display_name: string,
  enabled: Bool,
  roles: Json,
  password_hash: string | null,
  password_changed_at: Ts | null,
  credential_version: number,
  created_at: Ts,
  updated_at: Ts,
  aliases: Json,
];
/** Same as toUser, from a raw row starting with USER_COLUMNS. */
export const tupleToUser = (r: readonly [...UserTuple, ...unknown[]]): User => ({
  id: r[0],
  login: r[1],
  domain: r[2],
  mail: r[3],
  aliases: sorted(r[12]),
  displayName: r[4],
  enabled: bool(r[5]),
  roles: strings(r[6]),
  passwordHash: r[7],
  passwordChangedAt: dateOrNull(r[8]),
  credentialVersion: Number(r[9]),
  createdAt: date(r[10]),
  updatedAt: date(r[11]),
});

export interface GroupRow {
  id: string;
  name: string;
  domain: string | null;
  mail: string | null;
  description: string;
  created_at: Ts;
  updated_at: Ts;
  aliases: Json;
}
export const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  mail: r.mail,
  aliases: sorted(r.aliases),
  description: r.description,
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

export interface ServiceAccountRow {
  id: string;
  name: string;
  description: string;
  password_hash: string;
  roles: Json;
  enabled: Bool;
  credential_version: number;
  created_at: Ts;
  updated_at: Ts;
}
export const toServiceAccount = (r: ServiceAccountRow): ServiceAccount => ({
  id: r.id,
  name: r.name,
  description: r.description,
  passwordHash: r.password_hash,
  roles: strings(r.roles),
  enabled: bool(r.enabled),
  credentialVersion: Number(r.credential_version),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

export interface AppPasswordRow {
  id: string;
  user_id: string;
  name: string;
  scopes: Json;
  hash: string;
  created_at: Ts;
  expires_at: Ts | null;
  last_used_at: Ts | null;
  last_used_protocol: string | null;
  last_used_ip: string | null;
}
export const toAppPassword = (r: AppPasswordRow): AppPassword => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  // Scopes are validated on the way in; the column only ever holds AppPasswordScope values.
  scopes: strings(r.scopes) as AppPasswordScope[],
  hash: r.hash,
  createdAt: date(r.created_at),
  expiresAt: dateOrNull(r.expires_at),
  lastUsedAt: dateOrNull(r.last_used_at),
  lastUsedProtocol: r.last_used_protocol,
  lastUsedIp: r.last_used_ip,
});

export interface TrustedIssuerRow {
  id: string;
  name: string;
  issuer: string;
  audiences: Json;
  jwks_uri: string | null;
  algorithms: Json;
  account_claim: string;
  introspection_url: string | null;
  client_id: string | null;
  client_secret: string | null;
  leeway_seconds: number;
  enabled: Bool;
  created_at: Ts;
  updated_at: Ts;
}
export const toTrustedIssuer = (r: TrustedIssuerRow): TrustedIssuer => ({
  id: r.id,
  name: r.name,
  issuer: r.issuer,
  audiences: strings(r.audiences),
  jwksUri: r.jwks_uri,
  algorithms: strings(r.algorithms),
  accountClaim: r.account_claim,
  introspectionUrl: r.introspection_url,
  clientId: r.client_id,
  clientSecret: r.client_secret,
  leewaySeconds: Number(r.leeway_seconds),
  enabled: bool(r.enabled),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

export interface AuditRow {
  id: number | string;
  at: Ts;
  actor: string;
  action: string;
  target: string;
  source: string | null;
  detail: Json;
}
export const toAudit = (r: AuditRow): AuditEntry => {
  const detail = json(r.detail);
  return {
    id: Number(r.id),
    at: date(r.at),
    actor: r.actor,
    action: r.action,
    target: r.target,
    source: r.source,
    detail: typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? (detail as Record<string, unknown>) : {},
  };
};
