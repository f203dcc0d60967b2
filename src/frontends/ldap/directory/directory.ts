/**
 * The identity store seen as an LDAP tree under the base DN. Resolves a search's base and scope,
 * plans candidates per entry kind, shapes entries and yields those the filter matches. Knows
 * nothing of sockets or BER: the search handler streams what this yields.
 */
import type { Group, User } from '../../../identity/model.js';
import type { IdentityStore } from '../../../store/store.js';
import { ResultCode, SearchScope, type Dn, type Filter } from '../protocol/index.js';
import { Candidates } from './candidates.js';
import type { Entry } from './entry.js';
import { EntryMemo } from './entry-memo.js';
import { matchesFilter } from './filter-eval.js';
import { CONTAINERS, DirectoryNames, SUBSCHEMA_DN, type Container, type Located } from './names.js';
import { planFor, type EntryKind, type Plan } from './plan.js';
import { rootDse, subschemaEntry } from './root-dse.js';
import { baseEntry, containerEntry, groupEntry, serviceEntry, userEntry } from './shape.js';
import { UpstreamDirectory, type UpstreamOptions } from './upstream.js';

/** Who is looking: everything, only their own user entry, or only the root DSE and schema. */
export type Viewer = { sees: 'all' } | { sees: 'self'; login: string } | { sees: 'public' };

/** Costly attributes, fetched only when the filter or the attribute selection needs them. */
export interface Needs {
  memberOf: boolean;
  member: boolean;
}

export interface SearchQuery {
  base: Dn;
  scope: SearchScope;
  filter: Filter;
  needs: Needs;
  viewer: Viewer;
  /** Aborted on abandon, time limit or disconnect; checked between candidates. */
  signal?: StopSignal;
}

/** What the directory reads of a stop signal (an AbortSignal is one). */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
}

/** A search that cannot run: the result code and matchedDN to answer with. */
export class DirectoryError extends Error {
  constructor(
    readonly resultCode: number,
    message: string,
    readonly matchedDN = '',
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** A fixed target: the static entries come as they are (no promise and await per entry per search). */
type Fixed = () => Entry | null | Promise<Entry | null>;

interface Targets {
  /** Entries resolved without the store (base, containers) or a single named entry. */
  fixed: readonly Fixed[];
  kinds: readonly EntryKind[];
}

const KINDS_OF: Record<Container, readonly EntryKind[]> = { users: ['user'], groups: ['group'], services: ['service'] };
const ALL_KINDS: readonly EntryKind[] = ['user', 'group', 'service'];
const NO_KINDS: readonly EntryKind[] = [];
const NONE: readonly Fixed[] = [];

/** The targets that depend only on the base's kind and the scope: made once, not per search. */
interface FixedTargets {
  base: readonly Fixed[];
  containers: readonly Fixed[];
  subtree: readonly Fixed[];
  container: Record<Container, readonly Fixed[]>;
}

export class Directory {
  readonly names: DirectoryNames;
  private readonly candidates: Candidates;
  private readonly memo = new EntryMemo();
  private readonly statics = new Map<string, Entry>();
  private readonly upstream: UpstreamDirectory | null;
  private readonly fixed: FixedTargets;

  constructor(
    private readonly store: IdentityStore,
    baseDn: string,
    private readonly options: { startTls: boolean; version: string },
    upstream: UpstreamOptions | null = null,
  ) {
    this.names = new DirectoryNames(baseDn);
    this.candidates = new Candidates(store, this.names);
    this.upstream = UpstreamDirectory.for(upstream, store, this.names);
    const base: Fixed = () => this.staticEntry('', () => baseEntry(this.names));
    const container = (c: Container): Fixed => () => this.staticEntry(c, () => containerEntry(this.names, c));
    const containers = CONTAINERS.map(container);
    this.fixed = {
      base: [base],
      containers,
      subtree: [base, ...containers],
      container: { users: [container('users')], groups: [container('groups')], services: [container('services')] },
    };
  }

  /** True when a base-scope search or compare on this DN is allowed to anyone (root DSE, schema). */
  isPublic(base: Dn, scope: SearchScope): boolean {
    const kind = this.names.locate(base).kind;
    return scope === SearchScope.baseObject && (kind === 'root' || kind === 'subschema');
  }

  async *search(q: SearchQuery): AsyncGenerator<Entry> {
    const located = this.names.locate(q.base);
    const targets = this.targets(located, q);
    for (const fixed of targets.fixed) {
      const found = fixed();
      const entry = found instanceof Promise ? await found : found;
      if (entry && this.visible(entry, q.viewer) && matchesFilter(q.filter, entry)) yield entry;
    }
    // Upstream accounts (upstream.ts) come after the local candidates, for what those did not cover.
    const upstream = this.upstream?.begin(q, targets.kinds, this.candidates) ?? null;
    // Address keys a user was found for: the group look-up skips them (one query fewer per recipient).
    const userAddresses = targets.kinds.length > 1 ? new Set<string>() : undefined;
    for (const kind of targets.kinds) {
      // A kind the filter rules out (service accounts, for a recipient search): no generator for nothing.
      if (upstream === null && q.viewer.sees === 'all' && plansNothing(planFor(q.filter, kind))) continue;
      yield* this.searchKind(kind, q, upstream?.candidates ?? this.candidates, userAddresses);
    }
    if (upstream) yield* upstream.rest();
  }

  /** One entry by DN (base-scope searches, compare); throws noSuchObject when absent or hidden. */
  async entryAt(dn: Dn, needs: Needs, viewer: Viewer): Promise<Entry> {
    const located = this.names.locate(dn);
    const entry = located.kind === 'missing' || located.kind === 'outside' ? null : await this.resolve(located, needs);
    if (!entry || !this.visible(entry, viewer)) throw this.noSuchObject(located);
    return entry;
  }

  private targets(located: Located, q: SearchQuery): Targets {
    const { fixed } = this;
    const { scope } = q;
    switch (located.kind) {
      case 'root':
        if (scope === SearchScope.baseObject) return { fixed: [() => Promise.resolve(rootDse(this.names, this.options))], kinds: NO_KINDS };
        if (scope === SearchScope.singleLevel) return { fixed: fixed.base, kinds: NO_KINDS };
        return { fixed: fixed.subtree, kinds: ALL_KINDS };
      case 'subschema':
        return { fixed: scope === SearchScope.baseObject ? [() => Promise.resolve(subschemaEntry())] : NONE, kinds: NO_KINDS };
      case 'base':
        if (scope === SearchScope.baseObject) return { fixed: fixed.base, kinds: NO_KINDS };
        if (scope === SearchScope.singleLevel) return { fixed: fixed.containers, kinds: NO_KINDS };
        return { fixed: fixed.subtree, kinds: ALL_KINDS };
      case 'container': {
        const own = fixed.container[located.container];
        if (scope === SearchScope.baseObject) return { fixed: own, kinds: NO_KINDS };
        return { fixed: scope === SearchScope.wholeSubtree ? own : NONE, kinds: KINDS_OF[located.container] };
      }
      case 'user':
      case 'group':
      case 'service': {
        // The entry must exist whatever the scope; its only subtree member is itself.
        const single = async (): Promise<Entry | null> => {
          const entry = await this.entryAt(q.base, q.needs, q.viewer);
          return scope === SearchScope.singleLevel ? null : entry;
        };
        return { fixed: [single], kinds: NO_KINDS };
      }
      case 'missing':
      case 'outside':
        throw this.noSuchObject(located);
    }
  }

  private async *searchKind(kind: EntryKind, q: SearchQuery, candidates: Pick<Candidates, 'users' | 'groups' | 'services'>, userAddresses?: Set<string>): AsyncGenerator<Entry> {
    if (q.viewer.sees === 'public') return;
    if (q.viewer.sees === 'self') {
      if (kind !== 'user') return;
      const entry = await this.resolve({ kind: 'user', login: q.viewer.login }, q.needs);
      if (entry && matchesFilter(q.filter, entry)) yield entry;
      return;
    }
    const plan = planFor(q.filter, kind);
    if (kind === 'user') {
      for await (const user of candidates.users(plan, q.signal, userAddresses)) {
        const groups = q.needs.memberOf ? await this.store.groupsOfUser(user.id) : null;
        const entry = this.userEntry(user, groups);
        if (matchesFilter(q.filter, entry)) yield entry;
      }
    } else if (kind === 'group') {
      for await (const group of candidates.groups(plan, q.signal, userAddresses)) {
        const entry = this.groupEntry(group, q.needs.member ? await this.store.listMembers(group.id) : null);
        if (matchesFilter(q.filter, entry)) yield entry;
      }
    } else {
      for await (const account of candidates.services(plan)) {
        const entry = this.memo.get(account, null, () => serviceEntry(this.names, account));
        if (matchesFilter(q.filter, entry)) yield entry;
      }
    }
  }

  private async resolve(located: Located, needs: Needs): Promise<Entry | null> {
    switch (located.kind) {
      case 'root':
        return rootDse(this.names, this.options);
      case 'subschema':
        return subschemaEntry();
      case 'base':
        return baseEntry(this.names);
      case 'container':
        return containerEntry(this.names, located.container);
      case 'user': {
        const user = await this.candidates.user(located.login);
        if (this.upstream?.takesOver(user)) return this.upstream.entryAt(located.login, needs);
        if (!user) return null;
        return this.userEntry(user, needs.memberOf ? await this.store.groupsOfUser(user.id) : null);
      }
      case 'group': {
        const group = await this.store.findGroupByName(located.name);
        return group ? this.groupEntry(group, needs.member ? await this.store.listMembers(group.id) : null) : null;
      }
      case 'service': {
        const account = await this.store.findServiceAccount(located.name);
        return account?.enabled ? this.memo.get(account, null, () => serviceEntry(this.names, account)) : null;
      }
      default:
        return null;
    }
  }

  private visible(entry: Entry, viewer: Viewer): boolean {
    if (viewer.sees === 'all' || entry.dn === '' || entry.dn === SUBSCHEMA_DN) return true;
    if (viewer.sees === 'public') return false;
    return entry.dn === this.names.userDn(viewer.login);
  }

  /** The base and container entries never change: built once (every subtree search from the base matches the filter against them). */
  private staticEntry(key: '' | Container, build: () => Entry): Entry {
    let entry = this.statics.get(key);
    if (!entry) this.statics.set(key, (entry = build()));
    return entry;
  }

  private userEntry(user: User, groups: readonly Group[] | null): Entry {
    return this.memo.get(user, groups, () => userEntry(this.names, user, groups));
  }

  /** Disabled members are left out: to the directory they do not exist. */
  private groupEntry(group: Group, members: readonly User[] | null): Entry {
    return this.memo.get(group, members, () => groupEntry(this.names, group, members ? members.filter((u) => u.enabled).map((u) => u.login) : null));
  }

  private noSuchObject(located: Located): DirectoryError {
    const parents: Partial<Record<Located['kind'], string>> = {
      user: this.names.containerDn('users'),
      group: this.names.containerDn('groups'),
      service: this.names.containerDn('services'),
    };
    const matched = located.kind === 'missing' ? located.matched : (parents[located.kind] ?? '');
    return new DirectoryError(ResultCode.noSuchObject, 'no such object', matched);
  }
}

function plansNothing(plan: Plan): boolean {
  return !plan.all && plan.keys.length === 0;
}
