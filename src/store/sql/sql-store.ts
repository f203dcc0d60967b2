/**
 * The IdentityStore over a SqlConn: the same logic for SQLite and PostgreSQL, so both dialects
 * keep the same semantics. Entity logic lives in the sibling modules; this class only routes.
 * At the root, the hot reads go through a change-detecting ReadCache (src/store/cache/); every
 * identity write through this store also drops it, so this process reads its own writes at once.
 * Recording an app password's last use is bookkeeping, not an identity change: it drops only the
 * owner's app-password list here, and signals nothing to other processes (migration 5).
 */
import type { AddressOwner, AppPassword, AuditEntry, Domain, Group, ServiceAccount, TrustedIssuer, User } from '../../identity/model.js';
import type {
  AppPasswordUse,
  AuditFilter,
  GroupPatch,
  IdentityStore,
  NewAppPassword,
  NewAuditEntry,
  NewGroup,
  NewServiceAccount,
  NewTrustedIssuer,
  NewUser,
  Page,
  ServiceAccountPatch,
  TrustedIssuerPatch,
  UserPatch,
} from '../store.js';
import { ReadCache, type Space } from '../cache/read-cache.js';
import * as accounts from './accounts.js';
import * as addresses from './addresses.js';
import { bulkCreateUsers } from './bulk.js';
import type { SqlConn, SqlDriver } from './conn.js';
import * as domains from './domains.js';
import * as groups from './groups.js';
import * as issuers from './issuers.js';
import * as users from './users.js';

/** One shared empty group list: entries memoised on it (the LDAP directory's) stay reusable. */
const NO_GROUPS: readonly Group[] = Object.freeze([]);

/**
 * A cached app-password list is reloaded at least this often: its last-use columns change without
 * a change signal, so another process's (or node's) record of use shows this late at most. Its
 * credentials (hash, scopes, expiry, revocation) are signalled and seen at once, as everything else.
 */
export const LAST_USE_MAX_AGE_MS = 5000;

/** The read cache's key spaces: each look-up's key is its argument as given. */
const enum S {
  userId = 1, userLogin, userAddress, groupId, groupName, groupAddress, members, groupsOfUser, service, appPasswords,
}

/** One frozen empty list for every cached user without aliases or roles (most of them). */
const NO_STRINGS: string[] = [];
Object.freeze(NO_STRINGS);

/**
 * Cached users are frozen here, by shape (deepFreeze would walk every field through Object.values),
 * and kept small: everything a first read caches is copied by the collector until it dies, so
 * empty lists are shared and equal timestamps share one Date (nothing mutates a cached user's).
 */
function frozenUser(user: User): User {
  if (user.aliases.length === 0) user.aliases = NO_STRINGS;
  else Object.freeze(user.aliases);
  if (user.roles.length === 0) user.roles = NO_STRINGS;
  else Object.freeze(user.roles);
  const created = user.createdAt.getTime();
  if (user.updatedAt.getTime() === created) user.updatedAt = user.createdAt;
  if (user.passwordChangedAt?.getTime() === created) user.passwordChangedAt = user.createdAt;
  return Object.freeze(user);
}

export class SqlStore implements IdentityStore {
  readonly dialect: 'sqlite' | 'postgres';

  /** `driver` and `cache` are null for the store handed to a transaction's fn. */
  constructor(
    protected readonly c: SqlConn,
    private readonly driver: SqlDriver | null,
    private readonly cache: ReadCache | null = null,
  ) {
    this.dialect = c.dialect;
  }

  static open(driver: SqlDriver, options: { readCache?: boolean } = {}): SqlStore {
    return new SqlStore(driver, driver, options.readCache === false ? null : new ReadCache(driver.changes));
  }

  /** The read cache, for tests and metrics; null when disabled and inside transactions. */
  get readCache(): ReadCache | null {
    return this.cache;
  }

  private read<T>(space: Space, key: string, load: () => Promise<T>, maxAgeMs?: number): Promise<T> {
    return this.cache ? this.cache.get(key, load, maxAgeMs, space) : load();
  }

  /** A hot user look-up: a user in no group also tells groupsOfUser's answer (one query fewer per LDAP entry with memberOf). */
  private readUser(space: Space, key: string, load: () => Promise<users.UserLookup | null>): Promise<User | null> {
    if (!this.cache) return load().then((found) => found?.user ?? null);
    return this.cache.getWith(key, async () => {
      const found = await load();
      if (!found) return { value: null };
      const user = frozenUser(found.user);
      return { value: user, related: found.inGroups ? undefined : [[S.groupsOfUser, user.id, NO_GROUPS]] };
    }, space);
  }

  /** Drops the cache once a write settles (failed writes too: a partial effect is never assumed away). */
  private write<T>(work: Promise<T>): Promise<T> {
    const cache = this.cache;
    if (!cache) return work;
    return work.finally(() => cache.invalidate());
  }

  /** The connection, for the stores of other concerns in the same database (web sessions: src/store/web-store.ts). */
  get conn(): SqlConn {
    return this.c;
  }

  private root(op: string): SqlDriver {
    if (!this.driver) throw new Error(`${op}() is not available inside a transaction`);
    return this.driver;
  }

  migrate(): Promise<void> {
    return this.root('migrate').migrate();
  }
  close(): Promise<void> {
    return this.root('close').close();
  }
  transaction<T>(fn: (tx: IdentityStore) => Promise<T>): Promise<T> {
    return this.write(this.c.transaction((conn) => fn(new SqlStore(conn, null))));
  }
  async ping(): Promise<void> {
    await this.c.get('SELECT 1 AS n');
  }
  /** Not part of IdentityStore: fast seeding for benchmarks and large imports. */
  bulkCreateUsers(users: readonly NewUser[]): Promise<void> {
    return this.write(bulkCreateUsers(this.c, users));
  }

  createDomain(name: string): Promise<Domain> { return this.write(domains.createDomain(this.c, name)); }
  getDomain(name: string): Promise<Domain | null> { return domains.getDomain(this.c, name); }
  listDomains(): Promise<Domain[]> { return domains.listDomains(this.c); }
  deleteDomain(name: string): Promise<void> { return this.write(domains.deleteDomain(this.c, name)); }

  createUser(input: NewUser): Promise<User> { return this.write(users.createUser(this.c, input)); }
  updateUser(id: string, patch: UserPatch): Promise<User> { return this.write(users.updateUser(this.c, id, patch)); }
  deleteUser(id: string): Promise<void> { return this.write(users.deleteUser(this.c, id)); }
  getUser(id: string): Promise<User | null> { return this.readUser(S.userId, id, () => users.lookUpUser(this.c, 'id', id)); }
  findUserByLogin(login: string): Promise<User | null> { return this.readUser(S.userLogin, login, () => users.lookUpUser(this.c, 'login', login)); }
  findUserByAddress(address: string): Promise<User | null> { return this.readUser(S.userAddress, address, () => users.lookUpUser(this.c, 'address', address)); }
  listUsers(page?: Page): Promise<User[]> { return users.listUsers(this.c, page); }
  countUsers(page?: Page): Promise<number> { return users.countUsers(this.c, page); }
  addUserAlias(userId: string, alias: string): Promise<void> { return this.write(users.addUserAlias(this.c, userId, alias)); }
  removeUserAlias(userId: string, alias: string): Promise<void> { return this.write(users.removeUserAlias(this.c, userId, alias)); }

  createGroup(input: NewGroup): Promise<Group> { return this.write(groups.createGroup(this.c, input)); }
  updateGroup(id: string, patch: GroupPatch): Promise<Group> { return this.write(groups.updateGroup(this.c, id, patch)); }
  deleteGroup(id: string): Promise<void> { return this.write(groups.deleteGroup(this.c, id)); }
  getGroup(id: string): Promise<Group | null> { return this.read(S.groupId, id, () => groups.getGroup(this.c, id)); }
  findGroupByName(name: string): Promise<Group | null> { return this.read(S.groupName, name, () => groups.findGroupByName(this.c, name)); }
  findGroupByAddress(address: string): Promise<Group | null> { return this.read(S.groupAddress, address, () => groups.findGroupByAddress(this.c, address)); }
  listGroups(page?: Page): Promise<Group[]> { return groups.listGroups(this.c, page); }
  addGroupAlias(groupId: string, alias: string): Promise<void> { return this.write(groups.addGroupAlias(this.c, groupId, alias)); }
  removeGroupAlias(groupId: string, alias: string): Promise<void> { return this.write(groups.removeGroupAlias(this.c, groupId, alias)); }
  addMember(groupId: string, userId: string): Promise<void> { return this.write(groups.addMember(this.c, groupId, userId)); }
  removeMember(groupId: string, userId: string): Promise<void> { return this.write(groups.removeMember(this.c, groupId, userId)); }
  listMembers(groupId: string): Promise<User[]> { return this.read(S.members, groupId, () => groups.listMembers(this.c, groupId)); }
  groupsOfUser(userId: string): Promise<Group[]> { return this.read(S.groupsOfUser, userId, () => groups.groupsOfUser(this.c, userId)); }

  addressOwner(address: string): Promise<AddressOwner | null> { return addresses.addressOwner(this.c, address); }

  createServiceAccount(input: NewServiceAccount): Promise<ServiceAccount> { return this.write(accounts.createServiceAccount(this.c, input)); }
  updateServiceAccount(id: string, patch: ServiceAccountPatch): Promise<ServiceAccount> {
    return this.write(accounts.updateServiceAccount(this.c, id, patch));
  }
  deleteServiceAccount(id: string): Promise<void> { return this.write(accounts.deleteServiceAccount(this.c, id)); }
  findServiceAccount(name: string): Promise<ServiceAccount | null> { return this.read(S.service, name, () => accounts.findServiceAccount(this.c, name)); }
  listServiceAccounts(): Promise<ServiceAccount[]> { return accounts.listServiceAccounts(this.c); }

  createAppPassword(input: NewAppPassword): Promise<AppPassword> { return this.write(accounts.createAppPassword(this.c, input)); }
  listAppPasswords(userId: string): Promise<AppPassword[]> {
    return this.read(S.appPasswords, userId, () => accounts.listAppPasswords(this.c, userId), LAST_USE_MAX_AGE_MS);
  }
  getAppPassword(id: string): Promise<AppPassword | null> { return accounts.getAppPassword(this.c, id); }
  revokeAppPassword(id: string): Promise<void> { return this.write(accounts.revokeAppPassword(this.c, id)); }
  /** Not a write() that drops the cache: only the owner's list shows last use. */
  async touchAppPassword(id: string, use: AppPasswordUse): Promise<void> {
    const userId = await accounts.touchAppPassword(this.c, id, use);
    if (userId !== null) this.cache?.forget(userId, S.appPasswords);
  }

  createTrustedIssuer(input: NewTrustedIssuer): Promise<TrustedIssuer> { return issuers.createTrustedIssuer(this.c, input); }
  updateTrustedIssuer(id: string, patch: TrustedIssuerPatch): Promise<TrustedIssuer> {
    return issuers.updateTrustedIssuer(this.c, id, patch);
  }
  deleteTrustedIssuer(id: string): Promise<void> { return issuers.deleteTrustedIssuer(this.c, id); }
  listTrustedIssuers(): Promise<TrustedIssuer[]> { return issuers.listTrustedIssuers(this.c); }

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> { return issuers.appendAudit(this.c, entry); }
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]> { return issuers.listAudit(this.c, filter); }
}
