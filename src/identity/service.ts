/**
 * The identity service: every change to users, groups, service accounts and app passwords goes
 * through here (CLI, admin API, LDAP password modify, self-service), so validation, hashing and
 * the audit trail are applied the same way whoever asks.
 */
import type { IdentityStore, Page, TrustedIssuerPatch } from '../store/store.js';
import { StoreNotFoundError } from '../store/store.js';
import { APP_PASSWORD_SCOPES, type AppPassword, type AppPasswordScope, type Group, type ServiceAccount, type User } from './model.js';
import { appPasswordDigest } from './app-password-digest.js';
import { IssuerOperations, type IssuerRequest, type PublicIssuer } from './issuers.js';
import { PasswordPolicy } from './password-policy.js';
import { isShadowRecord, shadowBackendOf } from './shadow-record.js';
import {
  ValidationError,
  domainOf,
  normalizeAddress,
  normalizeDescription,
  normalizeDisplayName,
  normalizeDomain,
  normalizeLogin,
  normalizeRoles,
  normalizeScopes,
} from './validate.js';

/** Who is making a change and from where: recorded in the audit log. */
export interface Actor {
  actor: string;
  source: string | null;
}

export interface SecretHasher {
  hash(secret: string): Promise<string>;
}

export interface NewUserRequest {
  mail: string;
  login?: string;
  displayName?: string;
  password?: string | null;
  /** An already-hashed password (imports); kept as is and upgraded on the next login. */
  passwordHash?: string | null;
  aliases?: string[];
  roles?: string[];
  enabled?: boolean;
  id?: string;
}

export interface CreatedAppPassword {
  appPassword: AppPassword;
  /** Shown exactly once; only its hash is stored. */
  secret: string;
}

export class IdentityService {
  constructor(
    readonly store: IdentityStore,
    private readonly hasher: SecretHasher,
    private readonly generateAppPassword: () => string,
    private readonly policy: PasswordPolicy = new PasswordPolicy(),
  ) {}

  /**
   * The same service bound to another store handle, typically a transaction (`tx`), so that
   * several calls commit or roll back together (used by the LDIF import). Works because the
   * methods' own `store.transaction` calls on `tx` join the outer transaction (store contract).
   */
  withStore(store: IdentityStore): IdentityService {
    return new IdentityService(store, this.hasher, this.generateAppPassword, this.policy);
  }

  async addDomain(name: string, by: Actor): Promise<void> {
    const domain = normalizeDomain(name);
    await this.store.transaction(async (tx) => {
      await tx.createDomain(domain);
      await tx.appendAudit({ ...by, action: 'domain.create', target: `domain:${domain}`, detail: {} });
    });
  }

  async removeDomain(name: string, by: Actor): Promise<void> {
    const domain = normalizeDomain(name);
    await this.store.transaction(async (tx) => {
      await tx.deleteDomain(domain);
      await tx.appendAudit({ ...by, action: 'domain.delete', target: `domain:${domain}`, detail: {} });
    });
  }

  async addUser(request: NewUserRequest, by: Actor): Promise<User> {
    const mail = normalizeAddress(request.mail);
    const login = normalizeLogin(request.login ?? mail.slice(0, mail.indexOf('@')));
    const displayName = normalizeDisplayName(request.displayName ?? login);
    const aliases = (request.aliases ?? []).map((a) => normalizeAddress(a, 'alias'));
    const roles = normalizeRoles(request.roles ?? []);
    let passwordHash = request.passwordHash ?? null;
    if (request.password != null) {
      this.policy.check(request.password, login);
      passwordHash = await this.hasher.hash(request.password);
    }
    return this.store.transaction(async (tx) => {
      for (const address of [mail, ...aliases]) await requireDomain(tx, address);
      const user = await tx.createUser({
        ...(request.id ? { id: request.id } : {}),
        login,
        domain: domainOf(mail),
        mail,
        aliases,
        displayName,
        roles,
        enabled: request.enabled ?? true,
        passwordHash,
        passwordChangedAt: passwordHash ? new Date() : null,
      });
      await tx.appendAudit({ ...by, action: 'user.create', target: `user:${login}`, detail: { mail, aliases, roles, imported: request.passwordHash != null } });
      return user;
    });
  }

  /** Finds a user by login name, primary mail or alias. */
  async findUser(loginOrAddress: string): Promise<User | null> {
    const key = loginOrAddress.trim().toLowerCase();
    if (key.includes('@')) return this.store.findUserByAddress(key);
    return this.store.findUserByLogin(key);
  }

  async requireUser(loginOrAddress: string): Promise<User> {
    const user = await this.findUser(loginOrAddress);
    if (!user) throw new StoreNotFoundError('user', loginOrAddress);
    return user;
  }

  listUsers(page?: Page): Promise<User[]> {
    return this.store.listUsers(page);
  }

  async setPassword(loginOrAddress: string, password: string, by: Actor): Promise<User> {
    const user = await this.requireUser(loginOrAddress);
    if (isShadowRecord(user)) {
      throw new ValidationError('user', user.login, `its password lives in the upstream directory "${shadowBackendOf(user.passwordHash)}"; change it there`);
    }
    this.policy.check(password, user.login);
    const passwordHash = await this.hasher.hash(password);
    return this.store.transaction(async (tx) => {
      const updated = await tx.updateUser(user.id, { passwordHash });
      await tx.appendAudit({ ...by, action: 'user.password', target: `user:${user.login}`, detail: {} });
      return updated;
    });
  }

  /** Replaces a legacy or weak hash after a successful login; not a password change, so no new changed-time. */
  async upgradeHash(userId: string, password: string): Promise<void> {
    const user = await this.store.getUser(userId);
    if (!user) return;
    const passwordHash = await this.hasher.hash(password);
    await this.store.transaction(async (tx) => {
      await tx.updateUser(userId, { passwordHash, passwordChangedAt: user.passwordChangedAt });
      await tx.appendAudit({ actor: 'system', source: null, action: 'user.password-upgrade', target: `user:${user.login}`, detail: {} });
    });
  }

  async setEnabled(loginOrAddress: string, enabled: boolean, by: Actor): Promise<User> {
    const user = await this.requireUser(loginOrAddress);
    return this.store.transaction(async (tx) => {
      const updated = await tx.updateUser(user.id, { enabled });
      await tx.appendAudit({ ...by, action: enabled ? 'user.enable' : 'user.disable', target: `user:${user.login}`, detail: {} });
      return updated;
    });
  }

  async updateUser(loginOrAddress: string, patch: { displayName?: string; roles?: string[]; mail?: string }, by: Actor): Promise<User> {
    const user = await this.requireUser(loginOrAddress);
    const clean: { displayName?: string; roles?: string[]; mail?: string } = {};
    if (patch.displayName !== undefined) clean.displayName = normalizeDisplayName(patch.displayName);
    if (patch.roles !== undefined) clean.roles = normalizeRoles(patch.roles);
    if (patch.mail !== undefined) clean.mail = normalizeAddress(patch.mail);
    return this.store.transaction(async (tx) => {
      if (clean.mail) await requireDomain(tx, clean.mail);
      const updated = await tx.updateUser(user.id, clean);
      await tx.appendAudit({ ...by, action: 'user.update', target: `user:${user.login}`, detail: { fields: Object.keys(clean) } });
      return updated;
    });
  }

  async deleteUser(loginOrAddress: string, by: Actor): Promise<void> {
    const user = await this.requireUser(loginOrAddress);
    await this.store.transaction(async (tx) => {
      await tx.deleteUser(user.id);
      await tx.appendAudit({ ...by, action: 'user.delete', target: `user:${user.login}`, detail: { mail: user.mail } });
    });
  }

  async addAlias(owner: { user: string } | { group: string }, alias: string, by: Actor): Promise<void> {
    const address = normalizeAddress(alias, 'alias');
    await this.store.transaction(async (tx) => {
      await requireDomain(tx, address);
      if ('user' in owner) {
        const user = await this.requireUser(owner.user);
        await tx.addUserAlias(user.id, address);
        await tx.appendAudit({ ...by, action: 'alias.add', target: `user:${user.login}`, detail: { alias: address } });
      } else {
        const group = await this.requireGroup(owner.group);
        await tx.addGroupAlias(group.id, address);
        await tx.appendAudit({ ...by, action: 'alias.add', target: `group:${group.name}`, detail: { alias: address } });
      }
    });
  }

  async removeAlias(alias: string, by: Actor): Promise<void> {
    const address = normalizeAddress(alias, 'alias');
    await this.store.transaction(async (tx) => {
      const owner = await tx.addressOwner(address);
      if (!owner) throw new StoreNotFoundError('alias', address);
      if (owner.kind === 'user') {
        const user = await tx.getUser(owner.id);
        if (user?.mail === address) throw new ValidationError('alias', address, 'this is the primary address; change the mail instead');
        await tx.removeUserAlias(owner.id, address);
      } else {
        const group = await tx.getGroup(owner.id);
        if (group?.mail === address) throw new ValidationError('alias', address, 'this is the primary address; change the mail instead');
        await tx.removeGroupAlias(owner.id, address);
      }
      await tx.appendAudit({ ...by, action: 'alias.remove', target: `${owner.kind}:${owner.id}`, detail: { alias: address } });
    });
  }

  async addGroup(request: { name: string; mail?: string | null; description?: string; aliases?: string[]; id?: string }, by: Actor): Promise<Group> {
    const name = normalizeLogin(request.name, 'group');
    const mail = request.mail ? normalizeAddress(request.mail) : null;
    const aliases = (request.aliases ?? []).map((a) => normalizeAddress(a, 'alias'));
    const description = normalizeDescription(request.description ?? '');
    return this.store.transaction(async (tx) => {
      for (const address of mail ? [mail, ...aliases] : aliases) await requireDomain(tx, address);
      const group = await tx.createGroup({ ...(request.id ? { id: request.id } : {}), name, mail, aliases, description, domain: mail ? domainOf(mail) : null });
      await tx.appendAudit({ ...by, action: 'group.create', target: `group:${name}`, detail: { mail, aliases } });
      return group;
    });
  }

  async requireGroup(nameOrAddress: string): Promise<Group> {
    const key = nameOrAddress.trim().toLowerCase();
    const group = key.includes('@') ? await this.store.findGroupByAddress(key) : await this.store.findGroupByName(key);
    if (!group) throw new StoreNotFoundError('group', nameOrAddress);
    return group;
  }

  async deleteGroup(name: string, by: Actor): Promise<void> {
    const group = await this.requireGroup(name);
    await this.store.transaction(async (tx) => {
      await tx.deleteGroup(group.id);
      await tx.appendAudit({ ...by, action: 'group.delete', target: `group:${group.name}`, detail: {} });
    });
  }

  async setMembership(groupName: string, userLogin: string, member: boolean, by: Actor): Promise<void> {
    const group = await this.requireGroup(groupName);
    const user = await this.requireUser(userLogin);
    await this.store.transaction(async (tx) => {
      if (member) await tx.addMember(group.id, user.id);
      else await tx.removeMember(group.id, user.id);
      await tx.appendAudit({ ...by, action: member ? 'group.member-add' : 'group.member-remove', target: `group:${group.name}`, detail: { user: user.login } });
    });
  }

  async addServiceAccount(request: { name: string; password: string; roles: string[]; description?: string }, by: Actor): Promise<ServiceAccount> {
    const name = normalizeLogin(request.name, 'service account');
    const roles = normalizeRoles(request.roles);
    this.policy.check(request.password, name);
    const passwordHash = await this.hasher.hash(request.password);
    return this.store.transaction(async (tx) => {
      const account = await tx.createServiceAccount({ name, roles, passwordHash, description: normalizeDescription(request.description ?? '') });
      await tx.appendAudit({ ...by, action: 'service-account.create', target: `service:${name}`, detail: { roles } });
      return account;
    });
  }

  async deleteServiceAccount(name: string, by: Actor): Promise<void> {
    const account = await this.store.findServiceAccount(normalizeLogin(name, 'service account'));
    if (!account) throw new StoreNotFoundError('service account', name);
    await this.store.transaction(async (tx) => {
      await tx.deleteServiceAccount(account.id);
      await tx.appendAudit({ ...by, action: 'service-account.delete', target: `service:${account.name}`, detail: {} });
    });
  }

  async createAppPassword(
    userLogin: string,
    request: { name: string; scopes: string[]; expiresAt?: Date | null },
    by: Actor,
  ): Promise<CreatedAppPassword> {
    const user = await this.requireUser(userLogin);
    const name = normalizeDisplayName(request.name, 'name');
    const scopes = normalizeScopes(request.scopes, APP_PASSWORD_SCOPES) as AppPasswordScope[];
    if (request.expiresAt && request.expiresAt.getTime() <= Date.now()) {
      throw new ValidationError('expiresAt', request.expiresAt.toISOString(), 'expected a time in the future');
    }
    const secret = this.generateAppPassword();
    const hash = appPasswordDigest(secret);
    const appPassword = await this.store.transaction(async (tx) => {
      const created = await tx.createAppPassword({ userId: user.id, name, scopes, hash, expiresAt: request.expiresAt ?? null });
      await tx.appendAudit({ ...by, action: 'app-password.create', target: `user:${user.login}`, detail: { id: created.id, name, scopes } });
      return created;
    });
    return { appPassword, secret };
  }

  async listAppPasswords(userLogin: string): Promise<AppPassword[]> {
    const user = await this.requireUser(userLogin);
    return this.store.listAppPasswords(user.id);
  }

  /** Trusted token issuers; the client secret goes in, never comes out (src/identity/issuers.ts). */
  listIssuers(): Promise<PublicIssuer[]> {
    return new IssuerOperations(this.store).list();
  }

  addIssuer(request: IssuerRequest, by: Actor): Promise<PublicIssuer> {
    return new IssuerOperations(this.store).add(request, by);
  }

  /** `key`: the issuer's id, its exact issuer URL, or its name. */
  updateIssuer(key: string, patch: TrustedIssuerPatch, by: Actor): Promise<PublicIssuer> {
    return new IssuerOperations(this.store).update(key, patch, by);
  }

  deleteIssuer(key: string, by: Actor): Promise<void> {
    return new IssuerOperations(this.store).remove(key, by);
  }

  /** Revokes one of the user's app passwords; ownerLogin guards self-service from touching others'. */
  async revokeAppPassword(ownerLogin: string, id: string, by: Actor): Promise<void> {
    const user = await this.requireUser(ownerLogin);
    const appPassword = await this.store.getAppPassword(id);
    if (!appPassword || appPassword.userId !== user.id) throw new StoreNotFoundError('app password', id);
    await this.store.transaction(async (tx) => {
      await tx.revokeAppPassword(id);
      await tx.appendAudit({ ...by, action: 'app-password.revoke', target: `user:${user.login}`, detail: { id, name: appPassword.name } });
    });
  }
}

async function requireDomain(store: IdentityStore, address: string): Promise<void> {
  const domain = domainOf(address);
  if (!(await store.getDomain(domain))) {
    throw new ValidationError('domain', domain, `unknown domain; add it first with "portcullis domain add ${domain}"`);
  }
}
