/**
 * One search's upstream part. While the directory streams local candidates, it notes what they
 * cover (addresses, logins, ids) and holds shadow records back; afterwards `rest()` serves the
 * shadows' fresh upstream accounts and asks the chain for each indexed key nothing local owns.
 * So a local hit never touches the upstream, and a group address is not asked upstream either.
 * Unindexed searches list upstream accounts through the chain's `search`, bounded by the size limit.
 */
import type { Group, ServiceAccount, User } from '../../../identity/model.js';
import type { Account } from '../../../pipeline/decision.js';
import type { Candidates } from './candidates.js';
import type { SearchQuery, StopSignal } from './directory.js';
import type { Entry } from './entry.js';
import { matchesFilter } from './filter-eval.js';
import { planFor, type Key, type Plan } from './plan.js';
import type { UpstreamDirectory } from './upstream.js';

export class UpstreamSearch {
  private readonly addresses = new Set<string>();
  private readonly logins = new Set<string>();
  private readonly shadows: User[] = [];
  private readonly served = new Set<string>();

  constructor(
    private readonly view: UpstreamDirectory,
    private readonly q: SearchQuery,
    private readonly local: Candidates,
  ) {}

  /** The local candidates, tracked; shadow records are held back for `rest()`. */
  readonly candidates = {
    users: (plan: Plan, signal?: StopSignal, owned?: Set<string>): AsyncGenerator<User> => this.users(plan, signal, owned),
    groups: (plan: Plan, signal?: StopSignal, userAddresses?: ReadonlySet<string>): AsyncGenerator<Group> => this.groups(plan, signal, userAddresses),
    services: (plan: Plan): AsyncGenerator<ServiceAccount> => this.local.services(plan),
  };

  /** The upstream entries the filter matches; throws DirectoryError (unavailable) if an upstream needed could not answer. */
  async *rest(): AsyncGenerator<Entry> {
    const plan = planFor(this.q.filter, 'user');
    if (plan.all) {
      const listed = await this.view.ask(() => this.view.source.search({ limit: this.view.sizeLimit + 1 }));
      for (const account of listed) yield* this.emit(account);
      return;
    }
    let failure: unknown = null;
    for (const shadow of this.shadows) {
      this.q.signal?.throwIfAborted();
      const account = await this.view.fresh(shadow).catch((err: unknown) => void (failure ??= err));
      if (account) yield* this.emit(account);
    }
    for (const key of plan.keys) {
      this.q.signal?.throwIfAborted();
      if (!this.askable(key)) continue;
      const ask = key.by === 'address' ? () => this.view.source.findByAddress(key.value) : () => this.view.source.lookup(key.value);
      const account = await this.view.ask(ask).catch((err: unknown) => void (failure ??= err));
      if (account) yield* this.emit(account);
    }
    // Entries already sent stand; the search still fails, since an upstream's users may be missing.
    if (failure) throw failure;
  }

  private async *users(plan: Plan, signal?: StopSignal, owned?: Set<string>): AsyncGenerator<User> {
    for await (const user of this.local.users(plan, signal, owned)) {
      if (this.view.takesOver(user)) {
        // In a scan the upstream listing brings the fresh account; keyed, rest() fetches it.
        if (!plan.all) this.shadows.push(user);
        continue;
      }
      this.logins.add(user.login);
      this.cover(user.mail, user.aliases);
      yield user;
    }
  }

  private async *groups(plan: Plan, signal?: StopSignal, userAddresses?: ReadonlySet<string>): AsyncGenerator<Group> {
    for await (const group of this.local.groups(plan, signal, userAddresses)) {
      this.cover(group.mail, group.aliases);
      yield group;
    }
  }

  /** Only addresses and logins nothing local owns, and only when an upstream would be asked for them. */
  private askable(key: Key): boolean {
    if (key.by === 'address') return !this.addresses.has(key.value) && this.view.reachesUpstream(key.value);
    if (key.by === 'name') return !this.logins.has(key.value) && this.view.reachesUpstream(key.value);
    return false; // ids reach upstream accounts through their shadow records; group relations are local
  }

  private async *emit(account: Account): AsyncGenerator<Entry> {
    if (account.backend === 'local' || this.served.has(account.id)) return;
    this.served.add(account.id);
    this.logins.add(account.uid);
    this.cover(account.mail, account.aliases);
    const entry = await this.view.entry(account, this.q.needs);
    if (matchesFilter(this.q.filter, entry)) yield entry;
  }

  private cover(mail: string | null, aliases: readonly string[]): void {
    if (mail) this.addresses.add(mail);
    for (const alias of aliases) this.addresses.add(alias);
  }
}
