/**
 * App passwords for accounts of an upstream backend. They live in Portcullis, on the account's
 * shadow record (see shadow/marker.ts); the upstream is asked (through the look-up cache) whether
 * the account still exists and is enabled, so disabling it upstream stops its app passwords too.
 * When the upstream is down, the shadow's last known state decides: mail clients keep working.
 */
import { appPasswordMatches } from '../../identity/app-password-digest.js';
import type { User } from '../../identity/model.js';
import type { Attempt } from '../../pipeline/attempt.js';
import type { Account } from '../../pipeline/decision.js';
import type { BackendResult } from '../../pipeline/ports.js';
import type { IdentityStore } from '../../store/store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { BackendAccount } from '../api.js';
import type { ShadowRecords } from '../shadow/shadow-records.js';
import { toAccount } from './account.js';

export interface AppPasswordOptions {
  store: IdentityStore;
  shadows: ShadowRecords;
  looksLikeAppPassword: (secret: string) => boolean;
  /** Records the use; must not block the answer. */
  onUsed: (id: string, attempt: Attempt) => void;
  log: Logger;
}

/** What the check needs from the adapter: its name and the cached upstream look-up. */
interface Upstream {
  name: string;
  fetch(login: string, signal?: AbortSignal): Promise<BackendAccount | null>;
}

export class AppPasswordSupport {
  constructor(private readonly o: AppPasswordOptions) {}

  looksLikeAppPassword(secret: string): boolean {
    return this.o.looksLikeAppPassword(secret);
  }

  sync(backend: string, account: Account): Promise<User | null> {
    return this.o.shadows.sync(backend, account);
  }

  /** The shadow record by id: its credentialVersion is bumped when an app password is revoked. */
  shadowOf(userId: string): Promise<User | null> {
    return this.o.store.getUser(userId);
  }

  /** Null when no app password of this backend's shadow matches: the secret is tried as a password. */
  async check(upstream: Upstream, attempt: Attempt, secret: string): Promise<BackendResult | null> {
    let info: BackendAccount | null = null;
    let reachable = true;
    let user = await this.o.shadows.find(upstream.name, { login: attempt.login });
    try {
      // The shadow's login is the upstream's own name for the account (a mail login may not be searchable there).
      info = await upstream.fetch(user?.login ?? attempt.login, attempt.signal);
    } catch {
      reachable = false;
    }
    const fresh = info ? toAccount(upstream.name, info) : null;
    // A login by alias finds the shadow through the upstream's id.
    user ??= fresh ? await this.o.shadows.find(upstream.name, { id: fresh.id }) : null;
    if (!user) return null;
    const match = (await this.o.store.listAppPasswords(user.id)).find((ap) => appPasswordMatches(ap.hash, secret));
    if (!match) return null;
    const account = fresh ?? shadowAccount(upstream.name, user);
    if (reachable && (!info || fresh?.id !== user.id)) {
      return { status: 'refused', reason: 'invalid-credentials', detail: `${upstream.name}: account of app password ${match.id} is gone upstream`, account: null };
    }
    if (!reachable) this.o.log.info({ event: 'backend.app-password-offline', backend: upstream.name, account: user.login }, 'upstream unreachable: app password checked against the last known account state');
    if (match.expiresAt && match.expiresAt.getTime() <= Date.now()) {
      return { status: 'refused', reason: 'invalid-credentials', detail: `app password ${match.id} expired`, account };
    }
    if (!(match.scopes as string[]).includes(attempt.protocol)) {
      return { status: 'refused', reason: 'scope-not-allowed', detail: `app password ${match.id} not allowed for ${attempt.protocol}`, account };
    }
    // Refused when disabled upstream (if it can be asked) or in Portcullis (the shadow's own flag).
    const upstreamEnabled = info ? info.enabled !== false : true;
    if (!upstreamEnabled || !user.enabled) return { status: 'refused', reason: 'account-disabled', detail: 'account disabled', account };
    this.o.onUsed(match.id, attempt);
    return { status: 'accepted', account, credential: 'app-password', credentialVersion: user.credentialVersion };
  }
}

/** The account as last seen, when the upstream cannot be asked; groups are unknown then. */
function shadowAccount(backend: string, user: User): Account {
  return { kind: 'user', id: user.id, uid: user.login, mail: user.mail, aliases: user.aliases, displayName: user.displayName, groups: [], roles: user.roles, backend };
}
