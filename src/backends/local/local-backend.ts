/**
 * The local identity store as an authentication backend: primary passwords, app passwords scoped
 * by protocol, bearer tokens from trusted issuers, service accounts and master-user logins.
 */
import { appPasswordMatches } from '../../identity/app-password-digest.js';
import type { Group, User } from '../../identity/model.js';
import type { Attempt } from '../../pipeline/attempt.js';
import type { Account } from '../../pipeline/decision.js';
import type { AuthBackend, BackendResult } from '../../pipeline/ports.js';
import type { CachedVerification } from '../../pipeline/verification-cache.js';
import type { IdentityStore } from '../../store/store.js';
import { isShadowRecord } from '../../identity/shadow-record.js';
import { serviceAccount, userAccount } from './to-account.js';
import type { TokenVerifier } from './tokens.js';

export interface PasswordVerifier {
  verify(stored: string | null, password: string, options?: { signal?: AbortSignal }): Promise<{ ok: boolean; needsRehash: boolean }>;
}

export interface LocalBackendOptions {
  store: IdentityStore;
  passwords: PasswordVerifier;
  tokens: TokenVerifier;
  masterSeparator: string;
  /** Whether a secret has the shape of one of our app passwords. */
  looksLikeAppPassword: (secret: string) => boolean;
  /** Called after a successful login with a legacy or weak hash; runs in the background. */
  upgradeHash: (userId: string, password: string) => Promise<void>;
  /** Called when an app password was used; must not block the answer. */
  onAppPasswordUsed: (id: string, attempt: Attempt) => void;
  onBackgroundError: (what: string, err: unknown) => void;
}

export class LocalBackend implements AuthBackend {
  readonly name = 'local';
  private readonly accounts = new WeakMap<User, { groups: readonly Group[]; account: Account }>();

  constructor(private readonly o: LocalBackendOptions) {}

  async authenticate(attempt: Attempt): Promise<BackendResult> {
    const secret = attempt.secret ?? '';
    if (attempt.accountKind === 'service') return this.service(attempt.login, secret, attempt.signal);
    const master = await this.splitMaster(attempt.login);
    if (master) return this.master(master.user, master.service, secret, attempt.signal);
    if (attempt.secretIsToken || this.o.tokens.looksLikeToken(secret)) return this.token(attempt, secret);
    const user = await this.findUser(attempt.login);
    // A shadow record of an upstream account: that backend answers for it (and for its app passwords).
    if (!user || isShadowRecord(user)) return { status: 'unknown' };
    if (this.o.looksLikeAppPassword(secret)) {
      const result = await this.appPassword(user, attempt, secret);
      if (result) return result;
    }
    return this.password(user, secret, attempt.signal);
  }

  async lookup(login: string): Promise<Account | null> {
    const user = await this.findUser(login);
    return user && user.enabled && !isShadowRecord(user) ? this.account(user) : null;
  }

  async revalidate(attempt: Attempt, cached: CachedVerification): Promise<Account | null> {
    if (cached.credential === 'service') {
      const account = await this.o.store.findServiceAccount(attempt.login.toLowerCase());
      const valid = account?.id === cached.accountId && account.enabled && account.credentialVersion === cached.credentialVersion;
      return valid ? serviceAccount(account) : null;
    }
    const user = await this.o.store.getUser(cached.accountId);
    if (!user?.enabled) return null;
    if (cached.credential === 'master') {
      const master = cached.impersonator ? await this.o.store.findServiceAccount(cached.impersonator) : null;
      const valid = master?.enabled && master.roles.includes('impersonate') && master.credentialVersion === cached.credentialVersion;
      return valid ? this.account(user) : null;
    }
    return user.credentialVersion === cached.credentialVersion ? this.account(user) : null;
  }

  private async password(user: User, secret: string, signal?: AbortSignal): Promise<BackendResult> {
    const check = await this.o.passwords.verify(user.passwordHash, secret, signal ? { signal } : {});
    const account = await this.account(user);
    if (!check.ok) return { status: 'refused', reason: 'invalid-credentials', detail: 'wrong password', account };
    if (!user.enabled) return { status: 'refused', reason: 'account-disabled', detail: 'account disabled', account };
    if (check.needsRehash) this.background('hash upgrade', this.o.upgradeHash(user.id, secret));
    return { status: 'accepted', account, credential: 'password', credentialVersion: user.credentialVersion };
  }

  /** Null when no app password matches, so the primary password is tried next. */
  private async appPassword(user: User, attempt: Attempt, secret: string): Promise<BackendResult | null> {
    const now = Date.now();
    const match = (await this.o.store.listAppPasswords(user.id)).find((ap) => appPasswordMatches(ap.hash, secret));
    if (!match) return null;
    const account = await this.account(user);
    if (match.expiresAt && match.expiresAt.getTime() <= now) {
      return { status: 'refused', reason: 'invalid-credentials', detail: `app password ${match.id} expired`, account };
    }
    if (!(match.scopes as string[]).includes(attempt.protocol)) {
      return { status: 'refused', reason: 'scope-not-allowed', detail: `app password ${match.id} not allowed for ${attempt.protocol}`, account };
    }
    if (!user.enabled) return { status: 'refused', reason: 'account-disabled', detail: 'account disabled', account };
    this.o.onAppPasswordUsed(match.id, attempt);
    return { status: 'accepted', account, credential: 'app-password', credentialVersion: user.credentialVersion };
  }

  private async token(attempt: Attempt, token: string): Promise<BackendResult> {
    const check = await this.o.tokens.verify(token, attempt.signal);
    if (check.status === 'unavailable') return { status: 'unavailable', detail: check.detail };
    if (check.status === 'invalid') return { status: 'refused', reason: 'invalid-credentials', detail: `token: ${check.detail}`, account: null };
    const user = await this.findUser(check.accountName);
    if (!user) return { status: 'refused', reason: 'invalid-credentials', detail: `token names unknown account ${check.accountName}`, account: null };
    const account = await this.account(user);
    if (attempt.login && !sameUser(user, attempt.login)) {
      return { status: 'refused', reason: 'invalid-credentials', detail: 'token belongs to another account', account };
    }
    if (!user.enabled) return { status: 'refused', reason: 'account-disabled', detail: 'account disabled', account };
    return { status: 'accepted', account, credential: 'token', credentialVersion: user.credentialVersion, ...tokenLifetime(token) };
  }

  private async service(name: string, secret: string, signal?: AbortSignal): Promise<BackendResult> {
    const account = await this.o.store.findServiceAccount(name.toLowerCase());
    if (!account) return { status: 'unknown' };
    const check = await this.o.passwords.verify(account.passwordHash, secret, signal ? { signal } : {});
    const view = serviceAccount(account);
    if (!check.ok) return { status: 'refused', reason: 'invalid-credentials', detail: 'wrong service account password', account: view };
    if (!account.enabled) return { status: 'refused', reason: 'account-disabled', detail: 'service account disabled', account: view };
    return { status: 'accepted', account: view, credential: 'service', credentialVersion: account.credentialVersion };
  }

  /** `alice%groupware`: the groupware service account logs in as alice with its own password. */
  private async master(userLogin: string, serviceName: string, secret: string, signal?: AbortSignal): Promise<BackendResult> {
    const result = await this.service(serviceName, secret, signal);
    if (result.status !== 'accepted') return result;
    if (!result.account.roles.includes('impersonate')) {
      return { status: 'refused', reason: 'invalid-credentials', detail: `service account ${serviceName} may not impersonate`, account: result.account };
    }
    const user = await this.findUser(userLogin);
    if (!user?.enabled) return { status: 'refused', reason: 'invalid-credentials', detail: 'master login for an unknown or disabled user', account: null };
    return { status: 'accepted', account: await this.account(user), credential: 'master', credentialVersion: result.credentialVersion, impersonator: serviceName };
  }

  private async splitMaster(login: string): Promise<{ user: string; service: string } | null> {
    const at = login.lastIndexOf(this.o.masterSeparator);
    if (at <= 0 || at + this.o.masterSeparator.length >= login.length) return null;
    const service = login.slice(at + this.o.masterSeparator.length).toLowerCase();
    if (!(await this.o.store.findServiceAccount(service))) return null;
    return { user: login.slice(0, at), service };
  }

  private findUser(login: string): Promise<User | null> {
    const key = login.trim().toLowerCase();
    if (!key) return Promise.resolve(null);
    return key.includes('@') ? this.o.store.findUserByAddress(key) : this.o.store.findUserByLogin(key);
  }

  /**
   * The account of a user. For the store cache's frozen user and groups it is one frozen object as
   * long as they stay cached, so front ends may keep what they derive from it (a response body).
   */
  private async account(user: User): Promise<Account> {
    const groups = await this.o.store.groupsOfUser(user.id);
    if (!Object.isFrozen(user) || !Object.isFrozen(groups)) return userAccount(user, groups.map((g) => g.name));
    const known = this.accounts.get(user);
    if (known?.groups === groups) return known.account;
    const account = userAccount(user, Object.freeze(groups.map((g) => g.name)) as string[]);
    Object.freeze(account);
    this.accounts.set(user, { groups, account });
    return account;
  }

  private background(what: string, work: Promise<void>): void {
    work.catch((err: unknown) => this.o.onBackgroundError(what, err));
  }
}

function sameUser(user: User, login: string): boolean {
  const key = login.trim().toLowerCase();
  return key === user.login || key === user.mail || user.aliases.includes(key);
}

/** A token must not stay cached beyond its own expiry. */
function tokenLifetime(token: string): { maxCacheSeconds?: number } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return { maxCacheSeconds: Math.max(0, Math.floor(payload.exp - Date.now() / 1000)) };
  } catch {
    // opaque token: the verifier decided; the default TTL applies
  }
  return {};
}
