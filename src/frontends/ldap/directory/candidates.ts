/**
 * Fetches the candidates of a plan from the identity store: indexed look-ups for keys, a paged
 * scan otherwise. Disabled users and service accounts are never candidates: to the directory
 * they do not exist.
 */
import type { Group, ServiceAccount, User } from '../../../identity/model.js';
import type { IdentityStore } from '../../../store/store.js';
import { Dn } from '../protocol/index.js';
import type { StopSignal } from './directory.js';
import type { DirectoryNames } from './names.js';
import type { Key, Plan } from './plan.js';

/** Rows per store page when scanning: bounded memory, and a chance to stop between pages. */
const SCAN_PAGE = 500;

export class Candidates {
  constructor(
    private readonly store: IdentityStore,
    private readonly names: DirectoryNames,
  ) {}

  /**
   * `owned` collects the address keys a user holds (enabled or not): addresses are unique across
   * users and groups, so `groups` then skips those keys without a query (filterMailbox plans both).
   */
  async *users(plan: Plan, signal?: StopSignal, owned?: Set<string>): AsyncGenerator<User> {
    if (plan.all) {
      for (let offset = 0; ; offset += SCAN_PAGE) {
        signal?.throwIfAborted();
        const page = await this.store.listUsers({ offset, limit: SCAN_PAGE });
        for (const user of page) if (user.enabled) yield user;
        if (page.length < SCAN_PAGE) return;
      }
    }
    const seen = new Set<string>();
    for (const key of plan.keys) {
      signal?.throwIfAborted();
      const found = await this.usersBy(key);
      if (owned && key.by === 'address' && found.length > 0) owned.add(key.value);
      for (const user of found) {
        if (!user.enabled || seen.has(user.id)) continue;
        seen.add(user.id);
        yield user;
      }
    }
  }

  /** `userAddresses`: address keys `users` found a user for (no group can hold them). */
  async *groups(plan: Plan, signal?: StopSignal, userAddresses?: ReadonlySet<string>): AsyncGenerator<Group> {
    if (plan.all) {
      for (let offset = 0; ; offset += SCAN_PAGE) {
        signal?.throwIfAborted();
        const page = await this.store.listGroups({ offset, limit: SCAN_PAGE });
        yield* page;
        if (page.length < SCAN_PAGE) return;
      }
    }
    const seen = new Set<string>();
    for (const key of plan.keys) {
      signal?.throwIfAborted();
      if (key.by === 'address' && userAddresses?.has(key.value)) continue;
      for (const group of await this.groupsBy(key)) {
        if (seen.has(group.id)) continue;
        seen.add(group.id);
        yield group;
      }
    }
  }

  async *services(plan: Plan): AsyncGenerator<ServiceAccount> {
    if (plan.all) {
      for (const account of await this.store.listServiceAccounts()) if (account.enabled) yield account;
      return;
    }
    for (const key of plan.keys) {
      if (key.by !== 'name') continue;
      const account = await this.store.findServiceAccount(key.value);
      if (account?.enabled) yield account;
    }
  }

  /** An enabled user by login, for DN resolution; null when absent or disabled. */
  async user(login: string): Promise<User | null> {
    const user = await this.store.findUserByLogin(login);
    return user?.enabled ? user : null;
  }

  private async usersBy(key: Key): Promise<User[]> {
    switch (key.by) {
      case 'address':
        return list(await this.store.findUserByAddress(key.value));
      case 'name':
        return list(await this.store.findUserByLogin(key.value));
      case 'id':
        return list(await this.store.getUser(key.value));
      case 'groupDn': {
        const located = this.locate(key.value);
        if (located?.kind !== 'group') return [];
        const group = await this.store.findGroupByName(located.name);
        return group ? this.store.listMembers(group.id) : [];
      }
      case 'memberDn':
        return [];
    }
  }

  private async groupsBy(key: Key): Promise<Group[]> {
    switch (key.by) {
      case 'address':
        return list(await this.store.findGroupByAddress(key.value));
      case 'name':
        return list(await this.store.findGroupByName(key.value));
      case 'id':
        return list(await this.store.getGroup(key.value));
      case 'memberDn': {
        const located = this.locate(key.value);
        if (located?.kind !== 'user') return [];
        const user = await this.user(located.login);
        return user ? this.store.groupsOfUser(user.id) : [];
      }
      case 'groupDn':
        return [];
    }
  }

  private locate(dn: string): ReturnType<DirectoryNames['locate']> | null {
    try {
      return this.names.locate(Dn.parse(dn));
    } catch {
      return null; // not a DN: matches nothing
    }
  }
}

function list<T>(item: T | null): T[] {
  return item ? [item] : [];
}
