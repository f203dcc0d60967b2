/**
 * The configured backends in order: the first that knows a login answers for it. A login in a
 * routed domain (alice@corp.example) is asked of that domain's backends only; any other login
 * (no domain, an unrouted domain, a service account) goes through the default order.
 */
import type { Attempt } from './attempt.js';
import type { Account } from './decision.js';
import type { AccountQuery, AuthBackend, BackendResult } from './ports.js';
import type { CachedVerification } from './verification-cache.js';

export class BackendChain {
  private readonly routes: ReadonlyMap<string, readonly AuthBackend[]>;
  private readonly byName = new Map<string, AuthBackend>();

  /** `routes`: lowercased domain → the backends asked, in order, for logins in that domain. */
  constructor(
    private readonly backends: AuthBackend[],
    routes: ReadonlyMap<string, readonly AuthBackend[]> | Record<string, readonly AuthBackend[]> = new Map(),
  ) {
    if (backends.length === 0) throw new Error('at least one authentication backend is required');
    this.routes = routes instanceof Map ? routes : new Map(Object.entries(routes).map(([d, list]) => [d.toLowerCase(), list]));
    for (const [domain, list] of this.routes) if (list.length === 0) throw new Error(`route for ${domain} names no backend`);
    for (const b of [...backends, ...[...this.routes.values()].flat()]) this.byName.set(b.name, b);
  }

  /** Every backend, by name, in or out of the default order. */
  get all(): AuthBackend[] {
    return [...this.byName.values()];
  }

  /** The backends asked for a login, in order. */
  orderFor(login: string, accountKind?: 'user' | 'service'): readonly AuthBackend[] {
    if (accountKind === 'service') return this.backends;
    const at = login.lastIndexOf('@');
    if (at < 0) return this.backends;
    const domain = login.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
    return this.routes.get(domain) ?? this.backends;
  }

  async authenticate(attempt: Attempt): Promise<BackendResult> {
    for (const backend of this.orderFor(attempt.login, attempt.accountKind)) {
      const result = await backend.authenticate(attempt);
      if (result.status !== 'unknown') return result;
    }
    return { status: 'unknown' };
  }

  /**
   * The account behind a login name or mail address, from the first backend that knows it. A
   * backend that cannot answer is skipped; if no other knows the login, its error is thrown
   * (BackendUnavailableError): "try again later", not "no such user".
   */
  async lookup(login: string): Promise<Account | null> {
    let unavailable: unknown = null;
    for (const backend of this.orderFor(login)) {
      try {
        const account = await backend.lookup(login);
        if (account) return account;
      } catch (err) {
        unavailable ??= err;
      }
    }
    if (unavailable) throw unavailable;
    return null;
  }

  /** The account that owns a mail address (primary or alias); routed by the address's domain. */
  findByAddress(address: string): Promise<Account | null> {
    return this.lookup(address);
  }

  /**
   * Accounts of the backends that can list theirs (upstream LDAP, modules with `list`), for the
   * LDAP directory view; local users come from the store. Throws when one of them cannot answer.
   */
  async search(query: AccountQuery): Promise<Account[]> {
    const found = new Map<string, Account>();
    for (const backend of this.all) {
      if (!backend.search) continue;
      for (const account of await backend.search(query)) if (!found.has(account.id)) found.set(account.id, account);
    }
    return [...found.values()].slice(0, query.limit);
  }

  async revalidate(attempt: Attempt, cached: CachedVerification): Promise<Account | null> {
    const backend = this.byName.get(cached.backend);
    return backend ? backend.revalidate(attempt, cached) : null;
  }

  /** Closes every backend that holds connections. */
  async close(): Promise<void> {
    for (const backend of this.all) await backend.close?.();
  }
}
