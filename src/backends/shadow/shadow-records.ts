/**
 * Keeps the shadow record of an upstream account in step after each successful upstream login:
 * created on first login (its domain too), mail and display name updated when they change, replaced
 * when the upstream account was replaced (same login, new id). Every change goes through the identity
 * service, so it is validated and audited. Aliases and groups are not copied: they are served from
 * the upstream. The enabled flag is Portcullis's own: an admin who disables the shadow blocks the
 * account here whatever the upstream says; the upstream's own flag is asked live at every login.
 */
import type { Actor, IdentityService } from '../../identity/service.js';
import type { User } from '../../identity/model.js';
import type { Account } from '../../pipeline/decision.js';
import type { Logger } from '../../telemetry/logger.js';
import { shadowBackendOf, shadowMarker } from '../../identity/shadow-record.js';

export class ShadowRecords {
  constructor(
    private readonly identity: IdentityService,
    private readonly log: Logger,
  ) {}

  /** The shadow of `backend` for this id or login (login name or primary mail), if any. */
  async find(backend: string, key: { id?: string | null; login?: string }): Promise<User | null> {
    const user = (key.id ? await this.identity.store.getUser(key.id) : null) ?? (key.login ? await this.identity.findUser(key.login) : null);
    return user && shadowBackendOf(user.passwordHash) === backend ? user : null;
  }

  /** Creates or refreshes the shadow; never throws: a login must not fail because of it. */
  async sync(backend: string, account: Account): Promise<User | null> {
    try {
      return await this.upsert(backend, account);
    } catch (err) {
      this.log.warn({ event: 'backend.shadow-failed', backend, account: account.uid, err }, `could not record ${account.uid} of backend ${backend}: app passwords unavailable for it`);
      return null;
    }
  }

  private async upsert(backend: string, account: Account): Promise<User | null> {
    const by: Actor = { actor: `backend:${backend}`, source: null };
    if (!account.mail) {
      this.log.debug({ event: 'backend.shadow-skipped', backend, account: account.uid }, 'no mail address: no shadow record');
      return null;
    }
    const existing = (await this.identity.store.getUser(account.id)) ?? (await this.identity.findUser(account.uid)) ?? (await this.identity.findUser(account.mail));
    if (existing && shadowBackendOf(existing.passwordHash) !== backend) {
      // A real local user (or another backend's) holds this login or address: never take it over.
      this.log.warn({ event: 'backend.shadow-conflict', backend, account: account.uid, holder: existing.login }, `login or mail of ${account.uid} is held by local user ${existing.login}`);
      return null;
    }
    if (existing && existing.id !== account.id) {
      // Same login, new upstream id: another person; the old record's app passwords must not carry over.
      await this.identity.deleteUser(existing.login, by);
      return this.create(account, backend, by);
    }
    return existing ? this.update(existing, account, by) : this.create(account, backend, by);
  }

  private async create(account: Account, backend: string, by: Actor): Promise<User> {
    const mail = account.mail ?? '';
    const domain = mail.slice(mail.lastIndexOf('@') + 1);
    if (!(await this.identity.store.getDomain(domain))) await this.identity.addDomain(domain, by);
    return this.identity.addUser(
      { id: account.id, login: account.uid, mail, displayName: account.displayName, passwordHash: shadowMarker(backend) },
      by,
    );
  }

  private async update(user: User, account: Account, by: Actor): Promise<User> {
    let current = user;
    const patch: { displayName?: string; mail?: string } = {};
    if (account.displayName !== user.displayName) patch.displayName = account.displayName;
    if (account.mail && account.mail !== user.mail) {
      const domain = account.mail.slice(account.mail.lastIndexOf('@') + 1);
      if (!(await this.identity.store.getDomain(domain))) await this.identity.addDomain(domain, by);
      patch.mail = account.mail;
    }
    if (Object.keys(patch).length > 0) current = await this.identity.updateUser(user.login, patch, by);
    return current;
  }
}
