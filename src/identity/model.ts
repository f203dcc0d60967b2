/** The identity model: what Portcullis is the single source of truth for. */

/** Protocols an attempt can arrive on; app-password scopes are a subset of these. */
export const PROTOCOLS = ['imap', 'pop3', 'smtp', 'sieve', 'dav', 'jmap', 'ldap', 'http', 'web', 'oidc'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** App passwords are for clients that cannot do better; they never open the web self-service. */
export const APP_PASSWORD_SCOPES = ['imap', 'pop3', 'smtp', 'sieve', 'dav', 'jmap', 'ldap', 'http'] as const;
export type AppPasswordScope = (typeof APP_PASSWORD_SCOPES)[number];

export interface Domain {
  name: string;
  createdAt: Date;
}

export interface User {
  id: string; // stable UUID, also served as entryUUID and openCloudUUID
  login: string; // lowercased, unique across users and service accounts
  domain: string;
  mail: string; // primary address, lowercased, unique across users and groups
  aliases: string[];
  displayName: string;
  enabled: boolean;
  roles: string[];
  passwordHash: string | null;
  passwordChangedAt: Date | null;
  /** Bumped on every credential change (password, app password revoked, disabled): invalidates cached verifications. */
  credentialVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Group {
  id: string;
  name: string; // unique, lowercased
  domain: string | null;
  mail: string | null;
  aliases: string[];
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Accounts for software: Stalwart's look-up account, Dovecot's, the groupware master user. */
export interface ServiceAccount {
  id: string;
  name: string; // unique, lowercased, binds as cn=<name>,ou=services,<base>
  description: string;
  passwordHash: string;
  roles: string[]; // e.g. directory-read, impersonate
  enabled: boolean;
  credentialVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AppPassword {
  id: string;
  userId: string;
  name: string;
  scopes: AppPasswordScope[];
  hash: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedProtocol: string | null;
  lastUsedIp: string | null;
}

export interface TrustedIssuer {
  id: string;
  name: string;
  issuer: string; // the exact `iss` value
  audiences: string[];
  jwksUri: string | null; // null: discovered from <issuer>/.well-known/openid-configuration
  algorithms: string[];
  accountClaim: string; // claim that names the account, e.g. preferred_username or email
  introspectionUrl: string | null; // RFC 7662, for opaque tokens
  clientId: string | null;
  clientSecret: string | null;
  leewaySeconds: number;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string; // who: cli:<os user>, admin:<login>, self:<login>, ldap:<bind dn>
  action: string; // stable event name, e.g. user.create, app-password.revoke
  target: string; // what: user:<login>, group:<name>, …
  source: string | null; // from where: client IP or "cli"
  detail: Record<string, unknown>; // never a secret
}

/** Who owns a mail address: addresses and aliases are unique across users and groups. */
export type AddressOwner = { kind: 'user'; id: string } | { kind: 'group'; id: string };
