/**
 * An upstream LDAP directory or Active Directory as a backend: search-then-bind (the user's DN
 * from a search with the configured filter) or a bind-DN template; groups from memberOf or a
 * group search. Invalid credentials (49) are a wrong password; anything else the server or the
 * network does is thrown, which the adapter turns into a temporary failure.
 */
import { InvalidCredentialsError, NoSuchObjectError, type Client, type Entry } from 'ldapts';
import type { LdapUpstreamConfig } from '../../config/sections/backends.js';
import type { BackendAccount, CustomerBackend, ListQuery, VerifyResult } from '../api.js';
import { ConnectionPool, openConnection, quietly, tlsOptions, type ConnectOptions } from './connection.js';
import { escapeFilterValue, fillDn, fillFilter } from './escape.js';
import { binaryAttributes, requestedAttributes, toBackendAccount, values } from './mapping.js';

export class LdapUpstream implements CustomerBackend {
  private readonly connect: ConnectOptions;
  private readonly pool: ConnectionPool;
  private readonly serviceBind: boolean;

  /** `key` names the configuration entry in start-up errors, e.g. backends.upstreams[0]. */
  constructor(
    private readonly c: LdapUpstreamConfig,
    key: string,
  ) {
    this.connect = { url: c.url, startTls: c.startTls, tls: tlsOptions(key, c.tls), timeoutMs: c.timeoutMs };
    this.serviceBind = Boolean(c.bindDn && c.bindPassword);
    const bind = c.bindDn && c.bindPassword ? { dn: c.bindDn, password: c.bindPassword } : undefined;
    this.pool = new ConnectionPool(this.connect, bind, c.poolSize);
  }

  async verify(login: string, password: string): Promise<VerifyResult> {
    // An empty password would be an "unauthenticated bind", which servers answer with success.
    if (!password) return { ok: false };
    // Without a service account a template DN cannot be checked first: the bind decides.
    const entry = this.c.userDnTemplate && !this.serviceBind ? null : await this.findEntry(login);
    if (!entry && !(this.c.userDnTemplate && !this.serviceBind)) return { ok: false, reason: 'unknown-user' };
    const dn = entry?.dn ?? fillDn(this.c.userDnTemplate ?? '', { login });
    const client = await this.bindAs(dn, password);
    if (!client) return entry ? { ok: false, account: this.toAccount(entry, []) ?? { login } } : { ok: false };
    try {
      const own = entry ?? (await readEntry(client, dn, this.c));
      const account = own ? await this.withGroups(own, login) : null;
      if (!account) throw new Error(`entry ${dn} has no ${this.c.attributes.login} attribute`);
      return { ok: true, account };
    } finally {
      await quietly(client);
    }
  }

  async lookup(login: string): Promise<BackendAccount | null> {
    const entry = await this.findEntry(login);
    return entry ? this.withGroups(entry, login) : null;
  }

  async list(query: ListQuery): Promise<BackendAccount[]> {
    const a = this.c.attributes;
    const q = query.query ? escapeFilterValue(query.query) : null;
    const filter = q ? `(&${this.c.listFilter}(|(${a.login}=*${q}*)(${a.mail}=*${q}*)(${a.displayName}=*${q}*)))` : this.c.listFilter;
    const entries = await this.pool.use((c) => search(c, this.c.baseDn, filter, this.c, query.limit));
    const accounts: BackendAccount[] = [];
    for (const entry of entries) {
      const account = await this.withGroups(entry, '');
      if (account) accounts.push(account);
    }
    return accounts;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * The user's entry: a search with the login filter, or a base read of the template DN. With a
   * service account, a mail address is searched even with a template (uid=<address> names nobody):
   * the directory view and mail logins find OpenCloud IDM users by address.
   */
  private async findEntry(login: string): Promise<Entry | null> {
    if (this.c.userDnTemplate && !(this.serviceBind && login.includes('@'))) {
      const dn = fillDn(this.c.userDnTemplate, { login });
      return this.pool.use((c) => readEntry(c, dn, this.c));
    }
    const filter = fillFilter(this.c.userFilter, { login });
    const entries = await this.pool.use((c) => search(c, this.c.baseDn, filter, this.c, 2));
    return entries[0] ?? null;
  }

  /** A connection bound as the user, or null on invalid credentials; other errors are thrown. */
  private async bindAs(dn: string, password: string): Promise<Client | null> {
    try {
      return await openConnection(this.connect, { dn, password });
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return null;
      throw err;
    }
  }

  private async withGroups(entry: Entry, login: string): Promise<BackendAccount | null> {
    const g = this.c.groups;
    if (g.source !== 'search') return this.toAccount(entry, null);
    const filter = fillFilter(g.filter, { login, dn: entry.dn });
    const groups = await this.pool.use((c) => c.search(g.baseDn ?? this.c.baseDn, { scope: 'sub', filter, attributes: [g.nameAttribute], derefAliases: 'never' }));
    const names = groups.searchEntries.flatMap((e) => values(e, g.nameAttribute).slice(0, 1).map(String));
    return this.toAccount(entry, names);
  }

  private toAccount(entry: Entry, groups: string[] | null): BackendAccount | null {
    return toBackendAccount(entry, this.c, groups);
  }
}

async function search(client: Client, base: string, filter: string, c: LdapUpstreamConfig, sizeLimit: number): Promise<Entry[]> {
  const { searchEntries } = await client.search(base, {
    scope: 'sub',
    filter,
    attributes: requestedAttributes(c),
    explicitBufferAttributes: binaryAttributes(c),
    derefAliases: 'never',
    sizeLimit,
  });
  return searchEntries;
}

async function readEntry(client: Client, dn: string, c: LdapUpstreamConfig): Promise<Entry | null> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: requestedAttributes(c), explicitBufferAttributes: binaryAttributes(c) });
    return searchEntries[0] ?? null;
  } catch (err) {
    if (err instanceof NoSuchObjectError) return null;
    throw err;
  }
}
