/**
 * The identity store interface: one contract, two dialects (SQLite embedded, PostgreSQL at scale).
 * It persists and finds; validation, hashing and audit policy live in the identity service.
 */
import type {
  AddressOwner,
  AppPassword,
  AppPasswordScope,
  AuditEntry,
  Domain,
  Group,
  ServiceAccount,
  TrustedIssuer,
  User,
} from '../identity/model.js';

export interface Page {
  offset?: number;
  limit?: number; // default 100, max 1000
  /** Case-insensitive substring on login/name, mail and display name. */
  query?: string;
  domain?: string;
}

export interface NewUser {
  id?: string; // kept on import (openCloudUUID); generated otherwise
  login: string;
  domain: string;
  mail: string;
  aliases?: string[];
  displayName: string;
  enabled?: boolean;
  roles?: string[];
  passwordHash: string | null;
  passwordChangedAt?: Date | null;
}

export type UserPatch = Partial<Pick<User, 'displayName' | 'enabled' | 'roles' | 'mail'>> & {
  /** Setting a hash also sets passwordChangedAt to now unless given, and bumps credentialVersion. */
  passwordHash?: string | null;
  passwordChangedAt?: Date | null;
};

export interface NewGroup {
  id?: string;
  name: string;
  domain?: string | null;
  mail?: string | null;
  aliases?: string[];
  description?: string;
}
export type GroupPatch = Partial<Pick<Group, 'mail' | 'description'>>;

export interface NewServiceAccount {
  name: string;
  description?: string;
  passwordHash: string;
  roles: string[];
}
export type ServiceAccountPatch = Partial<Pick<ServiceAccount, 'description' | 'roles' | 'enabled' | 'passwordHash'>>;

export interface NewAppPassword {
  userId: string;
  name: string;
  scopes: AppPasswordScope[];
  hash: string;
  expiresAt?: Date | null;
}

export interface AppPasswordUse {
  at: Date;
  protocol: string;
  ip: string | null;
}

export type NewTrustedIssuer = Omit<TrustedIssuer, 'id' | 'createdAt' | 'updatedAt'>;
export type TrustedIssuerPatch = Partial<NewTrustedIssuer>;

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at?: Date };
export interface AuditFilter extends Page {
  actor?: string;
  action?: string;
  target?: string;
  since?: Date;
}

/**
 * A conflict on a unique key: the service turns it into a user-facing error. `field` is one of
 * 'login', 'mail', 'alias', 'group', 'service account', 'app password', 'domain', 'issuer', 'id'.
 */
export class StoreConflictError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field} "${value}" is already taken`);
    this.name = 'StoreConflictError';
  }
}

export class StoreNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} "${key}" not found`);
    this.name = 'StoreNotFoundError';
  }
}

export interface IdentityStore {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs fn atomically: on a throw nothing it wrote is kept. Nested calls join the outer transaction
   * (as a savepoint: a caught inner throw undoes only the inner part). Inside fn use `tx`, not the
   * outer store: outer writes wait for the transaction to end (with SQLite they would deadlock).
   */
  transaction<T>(fn: (tx: IdentityStore) => Promise<T>): Promise<T>;
  ping(): Promise<void>;

  createDomain(name: string): Promise<Domain>;
  getDomain(name: string): Promise<Domain | null>;
  listDomains(): Promise<Domain[]>;
  /** Fails with StoreConflictError('domain', name) while users or groups still use it. */
  deleteDomain(name: string): Promise<void>;

  /** The domain must exist (StoreNotFoundError('domain') otherwise). */
  createUser(input: NewUser): Promise<User>;
  updateUser(id: string, patch: UserPatch): Promise<User>;
  /** Removes the user's memberships and app passwords with it. */
  deleteUser(id: string): Promise<void>;
  getUser(id: string): Promise<User | null>;
  findUserByLogin(login: string): Promise<User | null>;
  /** By primary mail or alias (lowercased). */
  findUserByAddress(address: string): Promise<User | null>;
  listUsers(page?: Page): Promise<User[]>;
  countUsers(page?: Page): Promise<number>;
  addUserAlias(userId: string, alias: string): Promise<void>;
  removeUserAlias(userId: string, alias: string): Promise<void>;

  createGroup(input: NewGroup): Promise<Group>;
  updateGroup(id: string, patch: GroupPatch): Promise<Group>;
  deleteGroup(id: string): Promise<void>;
  getGroup(id: string): Promise<Group | null>;
  findGroupByName(name: string): Promise<Group | null>;
  findGroupByAddress(address: string): Promise<Group | null>;
  listGroups(page?: Page): Promise<Group[]>;
  addGroupAlias(groupId: string, alias: string): Promise<void>;
  removeGroupAlias(groupId: string, alias: string): Promise<void>;
  /** Idempotent; StoreNotFoundError if the group or user does not exist. */
  addMember(groupId: string, userId: string): Promise<void>;
  /** Idempotent: removing a non-member is a no-op. */
  removeMember(groupId: string, userId: string): Promise<void>;
  listMembers(groupId: string): Promise<User[]>;
  /** The groups a user belongs to, by name order. */
  groupsOfUser(userId: string): Promise<Group[]>;

  /** Who holds this address as mail or alias, if anyone. */
  addressOwner(address: string): Promise<AddressOwner | null>;

  createServiceAccount(input: NewServiceAccount): Promise<ServiceAccount>;
  updateServiceAccount(id: string, patch: ServiceAccountPatch): Promise<ServiceAccount>;
  deleteServiceAccount(id: string): Promise<void>;
  findServiceAccount(name: string): Promise<ServiceAccount | null>;
  listServiceAccounts(): Promise<ServiceAccount[]>;

  createAppPassword(input: NewAppPassword): Promise<AppPassword>;
  listAppPasswords(userId: string): Promise<AppPassword[]>;
  getAppPassword(id: string): Promise<AppPassword | null>;
  /** Deletes it and bumps the owner's credentialVersion. */
  revokeAppPassword(id: string): Promise<void>;
  /** Records last use; never bumps updatedAt or credentialVersion. A no-op if it was revoked meanwhile. */
  touchAppPassword(id: string, use: AppPasswordUse): Promise<void>;

  createTrustedIssuer(input: NewTrustedIssuer): Promise<TrustedIssuer>;
  updateTrustedIssuer(id: string, patch: TrustedIssuerPatch): Promise<TrustedIssuer>;
  deleteTrustedIssuer(id: string): Promise<void>;
  listTrustedIssuers(): Promise<TrustedIssuer[]>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}
