/**
 * The IdentityStore over a SqlConn: the same logic for SQLite and PostgreSQL, so both dialects
 * keep the same semantics. Entity logic lives in the sibling modules; this class only routes.
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
import * as accounts from './accounts.js';
import * as addresses from './addresses.js';
import { bulkCreateUsers } from './bulk.js';
import type { SqlConn, SqlDriver } from './conn.js';
import * as domains from './domains.js';
import * as groups from './groups.js';
import * as issuers from './issuers.js';
import * as users from './users.js';

export class SqlStore implements IdentityStore {
  readonly dialect: 'sqlite' | 'postgres';

  /** `driver` is null for the store handed to a transaction's fn. */
  constructor(
    protected readonly c: SqlConn,
    private readonly driver: SqlDriver | null,
  ) {
    this.dialect = c.dialect;
  }

  static open(driver: SqlDriver): SqlStore {
    return new SqlStore(driver, driver);
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
    return this.c.transaction((conn) => fn(new SqlStore(conn, null)));
  }
  async ping(): Promise<void> {
    await this.c.get('SELECT 1 AS n');
  }
  /** Not part of IdentityStore: fast seeding for benchmarks and large imports. */
  bulkCreateUsers(users: readonly NewUser[]): Promise<void> {
    return bulkCreateUsers(this.c, users);
  }

  createDomain(name: string): Promise<Domain> { return domains.createDomain(this.c, name); }
  getDomain(name: string): Promise<Domain | null> { return domains.getDomain(this.c, name); }
  listDomains(): Promise<Domain[]> { return domains.listDomains(this.c); }
  deleteDomain(name: string): Promise<void> { return domains.deleteDomain(this.c, name); }

  createUser(input: NewUser): Promise<User> { return users.createUser(this.c, input); }
  updateUser(id: string, patch: UserPatch): Promise<User> { return users.updateUser(this.c, id, patch); }
  deleteUser(id: string): Promise<void> { return users.deleteUser(this.c, id); }
  getUser(id: string): Promise<User | null> { return users.getUser(this.c, id); }
  findUserByLogin(login: string): Promise<User | null> { return users.findUserByLogin(this.c, login); }
  findUserByAddress(address: string): Promise<User | null> { return users.findUserByAddress(this.c, address); }
  listUsers(page?: Page): Promise<User[]> { return users.listUsers(this.c, page); }
  countUsers(page?: Page): Promise<number> { return users.countUsers(this.c, page); }
  addUserAlias(userId: string, alias: string): Promise<void> { return users.addUserAlias(this.c, userId, alias); }
  removeUserAlias(userId: string, alias: string): Promise<void> { return users.removeUserAlias(this.c, userId, alias); }

  createGroup(input: NewGroup): Promise<Group> { return groups.createGroup(this.c, input); }
  updateGroup(id: string, patch: GroupPatch): Promise<Group> { return groups.updateGroup(this.c, id, patch); }
  deleteGroup(id: string): Promise<void> { return groups.deleteGroup(this.c, id); }
  getGroup(id: string): Promise<Group | null> { return groups.getGroup(this.c, id); }
  findGroupByName(name: string): Promise<Group | null> { return groups.findGroupByName(this.c, name); }
  findGroupByAddress(address: string): Promise<Group | null> { return groups.findGroupByAddress(this.c, address); }
  listGroups(page?: Page): Promise<Group[]> { return groups.listGroups(this.c, page); }
  addGroupAlias(groupId: string, alias: string): Promise<void> { return groups.addGroupAlias(this.c, groupId, alias); }
  removeGroupAlias(groupId: string, alias: string): Promise<void> { return groups.removeGroupAlias(this.c, groupId, alias); }
  addMember(groupId: string, userId: string): Promise<void> { return groups.addMember(this.c, groupId, userId); }
  removeMember(groupId: string, userId: string): Promise<void> { return groups.removeMember(this.c, groupId, userId); }
  listMembers(groupId: string): Promise<User[]> { return groups.listMembers(this.c, groupId); }
  groupsOfUser(userId: string): Promise<Group[]> { return groups.groupsOfUser(this.c, userId); }

  addressOwner(address: string): Promise<AddressOwner | null> { return addresses.addressOwner(this.c, address); }

  createServiceAccount(input: NewServiceAccount): Promise<ServiceAccount> { return accounts.createServiceAccount(this.c, input); }
  updateServiceAccount(id: string, patch: ServiceAccountPatch): Promise<ServiceAccount> {
    return accounts.updateServiceAccount(this.c, id, patch);
  }
  deleteServiceAccount(id: string): Promise<void> { return accounts.deleteServiceAccount(this.c, id); }
  findServiceAccount(name: string): Promise<ServiceAccount | null> { return accounts.findServiceAccount(this.c, name); }
  listServiceAccounts(): Promise<ServiceAccount[]> { return accounts.listServiceAccounts(this.c); }

  createAppPassword(input: NewAppPassword): Promise<AppPassword> { return accounts.createAppPassword(this.c, input); }
  listAppPasswords(userId: string): Promise<AppPassword[]> { return accounts.listAppPasswords(this.c, userId); }
  getAppPassword(id: string): Promise<AppPassword | null> { return accounts.getAppPassword(this.c, id); }
  revokeAppPassword(id: string): Promise<void> { return accounts.revokeAppPassword(this.c, id); }
  touchAppPassword(id: string, use: AppPasswordUse): Promise<void> { return accounts.touchAppPassword(this.c, id, use); }

  createTrustedIssuer(input: NewTrustedIssuer): Promise<TrustedIssuer> { return issuers.createTrustedIssuer(this.c, input); }
  updateTrustedIssuer(id: string, patch: TrustedIssuerPatch): Promise<TrustedIssuer> {
    return issuers.updateTrustedIssuer(this.c, id, patch);
  }
  deleteTrustedIssuer(id: string): Promise<void> { return issuers.deleteTrustedIssuer(this.c, id); }
  listTrustedIssuers(): Promise<TrustedIssuer[]> { return issuers.listTrustedIssuers(this.c); }

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> { return issuers.appendAudit(this.c, entry); }
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]> { return issuers.listAudit(this.c, filter); }
}
