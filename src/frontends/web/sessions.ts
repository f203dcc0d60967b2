/**
 * Web sessions kept in the store (shared by every node). The cookie holds 256 random bits; the
 * store holds their SHA-256. A session ends when idle, at its absolute end, on logout, when the
 * user is disabled or deleted, and when the password changes (credential version + change time).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../identity/model.js';
import type { IdentityStore } from '../../store/store.js';
import type { WebSession, WebStore } from '../../store/web-store.js';
import type { WebOptions } from './options.js';

export interface LiveSession {
  session: WebSession;
  user: User;
}

export type SessionLookup = { status: 'ok'; live: LiveSession } | { status: 'none' | 'expired' | 'revoked' };

/** Seconds between writes of last-seen: idle expiry needs no finer grain, and reads stay reads. */
const TOUCH_EVERY_MS = 30_000;

export const sessionDigest = (cookieValue: string): string => createHash('sha256').update(cookieValue, 'utf8').digest('hex');

export class SessionManager {
  constructor(
    private readonly web: WebStore,
    private readonly identities: IdentityStore,
    private readonly options: WebOptions,
  ) {}

  async create(user: User, meta: { clientIp: string | null; userAgent: string | null }): Promise<{ cookieValue: string; session: WebSession }> {
    const cookieValue = randomBytes(32).toString('base64url');
    const now = new Date(this.options.now());
    const session: WebSession = {
      id: sessionDigest(cookieValue),
      userId: user.id,
      csrf: randomBytes(32).toString('base64url'),
      credentialVersion: user.credentialVersion,
      passwordChangedAt: user.passwordChangedAt,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.options.absoluteTimeoutSeconds * 1000),
      clientIp: meta.clientIp,
      userAgent: meta.userAgent?.slice(0, 256) ?? null,
    };
    await this.web.createSession(session);
    return { cookieValue, session };
  }

  async lookup(cookieValue: string | undefined): Promise<SessionLookup> {
    if (!cookieValue || cookieValue.length > 128) return { status: 'none' };
    const session = await this.web.getSession(sessionDigest(cookieValue));
    if (!session) return { status: 'none' };
    const now = this.options.now();
    if (now >= session.expiresAt.getTime() || now - session.lastSeenAt.getTime() >= this.options.idleTimeoutSeconds * 1000) {
      await this.web.deleteSession(session.id);
      return { status: 'expired' };
    }
    const user = await this.identities.getUser(session.userId);
    if (!user || !user.enabled || this.passwordChanged(session, user)) {
      await this.web.deleteSession(session.id);
      return { status: 'revoked' };
    }
    const patch: { lastSeenAt?: Date; credentialVersion?: number } = {};
    // Another credential changed (an app password revoked, a legacy hash upgraded): the session stands.
    if (user.credentialVersion !== session.credentialVersion) patch.credentialVersion = user.credentialVersion;
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) patch.lastSeenAt = new Date(now);
    if (Object.keys(patch).length > 0) {
      await this.web.touchSession(session.id, patch);
      Object.assign(session, patch);
    }
    return { status: 'ok', live: { session, user } };
  }

  destroy(sessionId: string): Promise<void> {
    return this.web.deleteSession(sessionId);
  }

  /** Ends every session of the user but this one (after a password change made in it). */
  endOthers(userId: string, keep?: string): Promise<number> {
    return this.web.deleteUserSessions(userId, keep);
  }

  async prune(): Promise<number> {
    const now = this.options.now();
    return this.web.pruneSessions(new Date(now), new Date(now - this.options.idleTimeoutSeconds * 1000));
  }

  /**
   * The credential version moves on every credential change; only a new password (or a disable,
   * checked above) ends the session, so revoking an app password does not log its owner out.
   */
  private passwordChanged(session: WebSession, user: User): boolean {
    if (user.credentialVersion === session.credentialVersion) return false;
    return (user.passwordChangedAt?.getTime() ?? null) !== (session.passwordChangedAt?.getTime() ?? null);
  }
}
