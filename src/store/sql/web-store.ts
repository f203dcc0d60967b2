/** The WebStore over a SqlConn: one text for both dialects, as the identity store. */
import type { AdminToken, LoginRecord, WebSession, WebStore } from '../web-store.js';
import type { Param, SqlConn } from './conn.js';
import { date } from './rows.js';

type Ts = number | Date;

interface SessionRow {
  id: string;
  user_id: string;
  csrf: string;
  credential_version: number;
  password_changed_at: Ts | null;
  created_at: Ts;
  last_seen_at: Ts;
  expires_at: Ts;
  client_ip: string | null;
  user_agent: string | null;
}

interface LoginRow {
  id: number | string;
  user_id: string;
  at: Ts;
  protocol: string;
  front_end: string;
  client_ip: string | null;
  success: number | boolean;
  detail: string;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Ts;
  expires_at: Ts | null;
  last_used_at: Ts | null;
}

const toSession = (r: SessionRow): WebSession => ({
  id: r.id,
  userId: r.user_id,
  csrf: r.csrf,
  credentialVersion: Number(r.credential_version),
  passwordChangedAt: r.password_changed_at === null ? null : date(r.password_changed_at),
  createdAt: date(r.created_at),
  lastSeenAt: date(r.last_seen_at),
  expiresAt: date(r.expires_at),
  clientIp: r.client_ip,
  userAgent: r.user_agent,
});

const toLogin = (r: LoginRow): LoginRecord => ({
  id: Number(r.id),
  userId: r.user_id,
  at: date(r.at),
  protocol: r.protocol,
  frontEnd: r.front_end,
  clientIp: r.client_ip,
  success: r.success === true || r.success === 1,
  detail: r.detail,
});

const toToken = (r: TokenRow): AdminToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  tokenHash: r.token_hash,
  createdAt: date(r.created_at),
  expiresAt: r.expires_at === null ? null : date(r.expires_at),
  lastUsedAt: r.last_used_at === null ? null : date(r.last_used_at),
});

export class SqlWebStore implements WebStore {
  constructor(private readonly c: SqlConn) {}

  async createSession(s: WebSession): Promise<void> {
    await this.c.run(
      `INSERT INTO web_sessions (id, user_id, csrf, credential_version, password_changed_at, created_at, last_seen_at, expires_at, client_ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.id, s.userId, s.csrf, s.credentialVersion, s.passwordChangedAt, s.createdAt, s.lastSeenAt, s.expiresAt, s.clientIp, s.userAgent],
    );
  }

  async getSession(id: string): Promise<WebSession | null> {
    const row = await this.c.get<SessionRow>('SELECT * FROM web_sessions WHERE id = ?', [id]);
    return row ? toSession(row) : null;
  }

  async touchSession(id: string, patch: { lastSeenAt?: Date; credentialVersion?: number; passwordChangedAt?: Date | null }): Promise<void> {
    const fields: Array<[string, Param | undefined]> = [
      ['last_seen_at', patch.lastSeenAt],
      ['credential_version', patch.credentialVersion],
      ['password_changed_at', patch.passwordChangedAt],
    ];
    const set = fields.filter(([, v]) => v !== undefined) as Array<[string, Param]>;
    if (set.length === 0) return;
    await this.c.run(`UPDATE web_sessions SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`, [...set.map(([, v]) => v), id]);
  }

  async listUserSessions(userId: string): Promise<WebSession[]> {
    return (await this.c.all<SessionRow>('SELECT * FROM web_sessions WHERE user_id = ? ORDER BY created_at DESC', [userId])).map(toSession);
  }

  async deleteSession(id: string): Promise<void> {
    await this.c.run('DELETE FROM web_sessions WHERE id = ?', [id]);
  }

  deleteUserSessions(userId: string, except?: string): Promise<number> {
    return except === undefined
      ? this.c.run('DELETE FROM web_sessions WHERE user_id = ?', [userId])
      : this.c.run('DELETE FROM web_sessions WHERE user_id = ? AND id <> ?', [userId, except]);
  }

  pruneSessions(now: Date, idleBefore: Date): Promise<number> {
    return this.c.run('DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at < ?', [now, idleBefore]);
  }

  async appendLogin(r: Omit<LoginRecord, 'id'>, keep: number): Promise<void> {
    await this.c.transaction(async (t) => {
      await t.run('INSERT INTO login_history (user_id, at, protocol, front_end, client_ip, success, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        r.userId, r.at, r.protocol, r.frontEnd, r.clientIp, r.success, r.detail,
      ]);
      // Bounded per account: only the newest `keep` survive (the index on (user_id, at) keeps this cheap).
      await t.run(
        `DELETE FROM login_history WHERE user_id = ? AND id NOT IN
           (SELECT id FROM login_history WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?)`,
        [r.userId, r.userId, keep],
      );
    });
  }

  async listLogins(userId: string, limit: number): Promise<LoginRecord[]> {
    const rows = await this.c.all<LoginRow>('SELECT * FROM login_history WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?', [userId, limit]);
    return rows.map(toLogin);
  }

  pruneLogins(before: Date): Promise<number> {
    return this.c.run('DELETE FROM login_history WHERE at < ?', [before]);
  }

  async createAdminToken(t: AdminToken): Promise<void> {
    await this.c.run('INSERT INTO admin_tokens (id, user_id, name, token_hash, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      t.id, t.userId, t.name, t.tokenHash, t.createdAt, t.expiresAt, t.lastUsedAt,
    ]);
  }

  async findAdminToken(tokenHash: string): Promise<AdminToken | null> {
    const row = await this.c.get<TokenRow>('SELECT * FROM admin_tokens WHERE token_hash = ?', [tokenHash]);
    return row ? toToken(row) : null;
  }

  async listAdminTokens(): Promise<AdminToken[]> {
    return (await this.c.all<TokenRow>('SELECT * FROM admin_tokens ORDER BY created_at, id')).map(toToken);
  }

  async deleteAdminToken(id: string): Promise<boolean> {
    return (await this.c.run('DELETE FROM admin_tokens WHERE id = ?', [id])) > 0;
  }

  async touchAdminToken(id: string, at: Date): Promise<void> {
    await this.c.run('UPDATE admin_tokens SET last_used_at = ? WHERE id = ?', [at, id]);
  }
}
