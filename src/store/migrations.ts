/**
 * The one ordered list of schema migrations, with a text per dialect. Never edit an applied
 * migration: append a new one. Each runs in its own transaction, recorded in schema_migrations.
 *
 * Schema notes (identical in both dialects):
 * - `addresses` holds every mail address and alias, keyed by the address itself, so an address
 *   is unique across users AND groups by construction. Exactly one of user_id/group_id is set.
 * - A user's (and group's) primary `mail` is a column of its row AND a row in `addresses`; a
 *   deferred composite foreign key (mail, id) -> addresses(address, user_id) makes the schema
 *   refuse a user whose primary address row is missing or owned by someone else. Aliases are
 *   the owner's other addresses, so there is no primary flag to get out of step.
 * - Roles, scopes and other small lists are JSON (text in SQLite, jsonb in PostgreSQL) so a
 *   user comes back in one row; `user_view`/`group_view` add the aliases as one aggregate.
 * - Timestamps: integer epoch ms in SQLite, timestamptz in PostgreSQL.
 */

import { CHANGE_TRACKING_MIGRATION } from './cache/change-migration.js';
import { LAST_USE_MIGRATION } from './cache/last-use-migration.js';
import { WEB_MIGRATION } from './sql/web-migration.js';

export interface Migration {
  id: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'identities',
    sqlite: `
CREATE TABLE domains (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  domain TEXT NOT NULL REFERENCES domains(name),
  mail TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  roles TEXT NOT NULL,
  password_hash TEXT,
  password_changed_at INTEGER,
  credential_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  FOREIGN KEY (mail, id) REFERENCES addresses(address, user_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX users_domain ON users(domain, login); -- FK checks and domain-filtered pages in order

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  domain TEXT REFERENCES domains(name),
  mail TEXT UNIQUE,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  FOREIGN KEY (mail, id) REFERENCES addresses(address, group_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX groups_domain ON groups(domain, name);

CREATE TABLE addresses (
  address TEXT PRIMARY KEY,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  group_id TEXT REFERENCES groups(id) ON DELETE CASCADE,
  CHECK ((user_id IS NULL) <> (group_id IS NULL)),
  UNIQUE (address, user_id),
  UNIQUE (address, group_id)
) WITHOUT ROWID;
CREATE INDEX addresses_user ON addresses(user_id);
CREATE INDEX addresses_group ON addresses(group_id);

CREATE TABLE memberships (
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE service_accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  credential_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE app_passwords (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER,
  last_used_protocol TEXT,
  last_used_ip TEXT,
  UNIQUE (user_id, name)
);

CREATE TABLE trusted_issuers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  issuer TEXT NOT NULL UNIQUE,
  audiences TEXT NOT NULL,
  jwks_uri TEXT,
  algorithms TEXT NOT NULL,
  account_claim TEXT NOT NULL,
  introspection_url TEXT,
  client_id TEXT,
  client_secret TEXT,
  leeway_seconds INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE VIEW user_view AS
  SELECT u.*, (SELECT json_group_array(a.address) FROM addresses a
               WHERE a.user_id = u.id AND a.address <> u.mail) AS aliases
  FROM users u;
CREATE VIEW group_view AS
  SELECT g.*, (SELECT json_group_array(a.address) FROM addresses a
               WHERE a.group_id = g.id AND a.address IS NOT g.mail) AS aliases
  FROM groups g;
`,
    postgres: `
CREATE TABLE domains (
  name text PRIMARY KEY,
  created_at timestamptz NOT NULL
);

CREATE TABLE users (
  id text PRIMARY KEY,
  login text NOT NULL UNIQUE,
  domain text NOT NULL REFERENCES domains(name),
  mail text NOT NULL UNIQUE,
  display_name text NOT NULL,
  enabled boolean NOT NULL,
  roles jsonb NOT NULL,
  password_hash text,
  password_changed_at timestamptz,
  credential_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX users_domain ON users(domain, login); -- FK checks and domain-filtered pages in order

CREATE TABLE groups (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  domain text REFERENCES domains(name),
  mail text UNIQUE,
  description text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX groups_domain ON groups(domain, name);

CREATE TABLE addresses (
  address text PRIMARY KEY,
  user_id text REFERENCES users(id) ON DELETE CASCADE,
  group_id text REFERENCES groups(id) ON DELETE CASCADE,
  CHECK ((user_id IS NULL) <> (group_id IS NULL)),
  UNIQUE (address, user_id),
  UNIQUE (address, group_id)
);
CREATE INDEX addresses_user ON addresses(user_id, address); -- aliases index-only
CREATE INDEX addresses_group ON addresses(group_id, address);

ALTER TABLE users ADD CONSTRAINT users_primary_address FOREIGN KEY (mail, id)
  REFERENCES addresses(address, user_id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE groups ADD CONSTRAINT groups_primary_address FOREIGN KEY (mail, id)
  REFERENCES addresses(address, group_id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE memberships (
  group_id text NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE service_accounts (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text NOT NULL,
  password_hash text NOT NULL,
  roles jsonb NOT NULL,
  enabled boolean NOT NULL,
  credential_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE app_passwords (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  scopes jsonb NOT NULL,
  hash text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  last_used_protocol text,
  last_used_ip text,
  UNIQUE (user_id, name)
);

CREATE TABLE trusted_issuers (
  id text PRIMARY KEY,
  name text NOT NULL,
  issuer text NOT NULL UNIQUE,
  audiences jsonb NOT NULL,
  jwks_uri text,
  algorithms jsonb NOT NULL,
  account_claim text NOT NULL,
  introspection_url text,
  client_id text,
  client_secret text,
  leeway_seconds integer NOT NULL,
  enabled boolean NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE VIEW user_view AS
  SELECT u.*, ARRAY(SELECT a.address FROM addresses a
                    WHERE a.user_id = u.id AND a.address <> u.mail) AS aliases
  FROM users u;
CREATE VIEW group_view AS
  SELECT g.*, ARRAY(SELECT a.address FROM addresses a
                    WHERE a.group_id = g.id AND a.address IS DISTINCT FROM g.mail) AS aliases
  FROM groups g;
`,
  },
  {
    id: 2,
    name: 'audit',
    sqlite: `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  source TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at, id);
CREATE INDEX audit_actor ON audit_log(actor, at);
CREATE INDEX audit_action ON audit_log(action, at);
CREATE INDEX audit_target ON audit_log(target, at);
`,
    postgres: `
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  source text,
  detail jsonb NOT NULL
);
CREATE INDEX audit_at ON audit_log(at, id);
CREATE INDEX audit_actor ON audit_log(actor, at);
CREATE INDEX audit_action ON audit_log(action, at);
CREATE INDEX audit_target ON audit_log(target, at);
`,
  },
  WEB_MIGRATION,
  CHANGE_TRACKING_MIGRATION,
  LAST_USE_MIGRATION,
];
