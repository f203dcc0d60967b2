/**
 * Upstream accounts in the LDAP directory view (read-through): when the local store has no match
 * for a search's indexed assertions, the backend chain is asked (routed by domain, through each
 * adapter's short look-up cache), so Stalwart sees one directory whatever is behind it. Shadow
 * records are never served from their store copy (it only carries app passwords): the fresh
 * upstream account is. An upstream that cannot answer makes the search answer `unavailable`
 * (52), never "no such entry", which would make Stalwart reject mail for an existing user.
 *
 * Decisions:
 * - DN: `uid=<login>,ou=users,<base>` when a bind with that login reaches the account's backend
 *   (the default order includes it and no local user holds the login); otherwise
 *   `uid=<mail>,...`, whose domain routes the bind to the right backend.
 * - memberOf: only upstream groups that exist in Portcullis (same name) are listed, as Portcullis
 *   group DNs: Stalwart base-searches each memberOf DN for the group's mail, and only
 *   Portcullis groups have an entry (and a mail) here.
 */
import { BackendUnavailableError } from '../../../backends/errors.js';
import { isShadowRecord, shadowBackendOf } from '../../../identity/shadow-record.js';
import type { User } from '../../../identity/model.js';
import type { Account } from '../../../pipeline/decision.js';
import type { AccountQuery, AuthBackend } from '../../../pipeline/ports.js';
import type { IdentityStore } from '../../../store/store.js';
import { ResultCode } from '../protocol/index.js';
import type { Candidates } from './candidates.js';
import { DirectoryError, type Needs, type SearchQuery } from './directory.js';
import type { Entry } from './entry.js';
import type { DirectoryNames } from './names.js';
import type { EntryKind } from './plan.js';
import { upstreamUserEntry } from './upstream-entry.js';
import { UpstreamSearch } from './upstream-search.js';

/** What the view needs of the backend chain (app.backends). */
export interface UpstreamSource {
  readonly all: readonly AuthBackend[];
  orderFor(login: string): readonly AuthBackend[];
  lookup(login: string): Promise<Account | null>;
  findByAddress(address: string): Promise<Account | null>;
  search(query: AccountQuery): Promise<Account[]>;
}

export interface UpstreamOptions {
  source: UpstreamSource;
  /** The server's size limit: an unindexed search lists at most one more upstream account. */
  sizeLimit: number;
}

export class UpstreamDirectory {
  private constructor(
    readonly source: UpstreamSource,
    private readonly store: IdentityStore,
    private readonly names: DirectoryNames,
    readonly sizeLimit: number,
  ) {}

  /** Null when only the local store is configured: the directory then never looks further. */
  static for(o: UpstreamOptions | null, store: IdentityStore, names: DirectoryNames): UpstreamDirectory | null {
    if (!o || o.source.all.every((b) => b.name === 'local')) return null;
    return new UpstreamDirectory(o.source, store, names, o.sizeLimit);
  }

  /** Whether a user DN's store look-up must be answered upstream: nobody local, or a shadow record. */
  takesOver(user: User | null): boolean {
    return !user || isShadowRecord(user);
  }

  /** The upstream account whose DN has this uid value (lowercased), or null. */
  async entryAt(key: string, needs: Needs): Promise<Entry | null> {
    const account = await this.ask(() => this.source.lookup(key));
    if (!account || account.backend === 'local') return null;
    // Each account has one DN: another spelling of its login names nothing.
    return (await this.dnKey(account)) === key ? this.entry(account, needs) : null;
  }

  /** Per-search tracking of local candidates; null when the search cannot reach upstream users. */
  begin(q: SearchQuery, kinds: readonly EntryKind[], local: Candidates): UpstreamSearch | null {
    if (q.viewer.sees !== 'all' || !kinds.includes('user')) return null;
    return new UpstreamSearch(this, q, local);
  }

  async entry(account: Account, needs: Needs): Promise<Entry> {
    const key = await this.dnKey(account);
    return upstreamUserEntry(this.names, account, key, needs.memberOf ? await this.groupDns(account.groups) : null);
  }

  /** The fresh upstream account of a shadow record; null when gone or disabled upstream, or its backend is no longer configured. */
  async fresh(shadow: User): Promise<Account | null> {
    const name = shadowBackendOf(shadow.passwordHash);
    const backend = this.source.all.find((b) => b.name === name);
    return backend ? this.ask(() => backend.lookup(shadow.login)) : null;
  }

  /** Whether any backend but the local store would be asked for this login or address. */
  reachesUpstream(login: string): boolean {
    return this.source.orderFor(login).some((b) => b.name !== 'local');
  }

  /** Runs an upstream call; any failure becomes the search's `unavailable` answer. */
  async ask<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw unavailable(err);
    }
  }

  private async dnKey(account: Account): Promise<string> {
    const login = account.uid;
    const reached = this.source.orderFor(login).some((b) => b.name === account.backend);
    if (reached && !(await this.heldLocally(login))) return login;
    return account.mail ?? login;
  }

  /** A real local user (enabled or not) with this login answers binds for it before any upstream. */
  private async heldLocally(login: string): Promise<boolean> {
    const user = await this.store.findUserByLogin(login);
    return user !== null && !isShadowRecord(user);
  }

  private async groupDns(groups: readonly string[]): Promise<string[]> {
    const dns: string[] = [];
    for (const name of groups) {
      const group = await this.store.findGroupByName(name);
      if (group) dns.push(this.names.groupDn(group.name));
    }
    return dns;
  }
}

/** The answer to a search that needed an upstream which could not answer. */
export function unavailable(err: unknown): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const backend = err instanceof BackendUnavailableError ? err.backend : 'backend';
  return new DirectoryError(ResultCode.unavailable, `upstream directory ${backend} cannot answer now; try again later`);
}
