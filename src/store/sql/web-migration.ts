/**
 * Migration texts for the web front end's tables (listed in ../migrations.ts): admin and
 * self-service sessions, the per-account recent-login log, and admin API tokens.
 *
 * - web_sessions.id is the SHA-256 of the cookie value, so a copy of the database opens no session.
 * - login_history is bounded per account and by age by its writer (src/frontends/web/login-history.ts).
 * - admin_tokens.token_hash is the SHA-256 of a 256-bit random token: a plain digest is enough for
 *   a secret with that much entropy, and lets the token be found by an index lookup.
 */
import type { Migration } from '../migrations.js';

export const WEB_MIGRATION: Migration = {
  id: 3,
  name: 'web',
  sqlite: `
CREATE TABLE web_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  credential_version INTEGER NOT NULL,
  password_changed_at INTEGER,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  client_ip TEXT,
  user_agent TEXT
) WITHOUT ROWID;
CREATE INDEX web_sessions_user ON web_sessions(user_id);
CREATE INDEX web_sessions_expires ON web_sessions(expires_at);

CREATE TABLE login_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  front_end TEXT NOT NULL,
  client_ip TEXT,
  success INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX login_history_user ON login_history(user_id, at);
CREATE INDEX login_history_at ON login_history(at);

CREATE TABLE admin_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX admin_tokens_user ON admin_tokens(user_id);
`,
  postgres: `
CREATE TABLE web_sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf text NOT NULL,
  credential_version integer NOT NULL,
  password_changed_at timestamptz,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  client_ip text,
  user_agent text
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);
CREATE INDEX web_sessions_expires ON web_sessions(expires_at);

CREATE TABLE login_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  protocol text NOT NULL,
  front_end text NOT NULL,
  client_ip text,
  success boolean NOT NULL,
  detail text NOT NULL
);
CREATE INDEX login_history_user ON login_history(user_id, at);
CREATE INDEX login_history_at ON login_history(at);

CREATE TABLE admin_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX admin_tokens_user ON admin_tokens(user_id);
`,
};
