// Generated dovecot.conf pieces for the Dovecot harness (Dovecot 2.3 syntax).
import { join } from 'node:path';

/** LDAP passdb with auth_bind: Dovecot searches as `dn`, then binds as the user. */
export interface LdapPassdb {
  driver: 'ldap';
  /** ldap://127.0.0.1:PORT */
  uris: string;
  base: string;
  /** Service DN for the search; anonymous when unset. */
  dn?: string;
  dnpass?: string;
  /** Default (&(objectClass=inetOrgPerson)(uid=%u)). */
  passFilter?: string;
  /** Default uid=user. */
  passAttrs?: string;
  /** Extra lines for dovecot-ldap.conf.ext. */
  extra?: string;
}
/** Accepts any password: for a backend behind nginx, which has already authenticated. */
export interface StaticPassdb {
  driver: 'static';
}
/** user → password; a password without a {SCHEME} prefix is stored as {PLAIN}. */
export interface PasswdFilePassdb {
  driver: 'passwd-file';
  users: Readonly<Record<string, string>>;
}
export type Passdb = LdapPassdb | StaticPassdb | PasswdFilePassdb;

/** Dovecot's auth_policy_* settings (a weakforced client), see CONTRACTS.md §6 and §10. */
export interface AuthPolicy {
  /** Must not carry a query string: Dovecot appends ?command= blindly. */
  serverUrl: string;
  hashNonce: string;
  /** e.g. "X-API-Key: abc" */
  apiHeader?: string;
  requestAttributes?: string;
  rejectOnFail?: boolean;
  checkBeforeAuth?: boolean;
  checkAfterAuth?: boolean;
  reportAfterAuth?: boolean;
  hashMech?: string;
  hashTruncate?: number;
  timeoutMsecs?: number;
  logOnly?: boolean;
}

export function passdbBlock(dir: string, p: Passdb): string {
  switch (p.driver) {
    case 'ldap':
      return `passdb {\n  driver = ldap\n  args = ${join(dir, 'dovecot-ldap.conf.ext')}\n}`;
    case 'static':
      return 'passdb {\n  driver = static\n  args = nopassword=y\n}';
    case 'passwd-file':
      return `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}\n}`;
  }
}

export function ldapConf(p: LdapPassdb): string {
  return [
    `uris = ${p.uris}`,
    p.dn === undefined ? '' : `dn = ${p.dn}`,
    p.dnpass === undefined ? '' : `dnpass = ${p.dnpass}`,
    'auth_bind = yes',
    'ldap_version = 3',
    `base = ${p.base}`,
    'scope = subtree',
    'deref = never',
    `pass_filter = ${p.passFilter ?? '(&(objectClass=inetOrgPerson)(uid=%u))'}`,
    `pass_attrs = ${p.passAttrs ?? 'uid=user'}`,
    p.extra ?? '',
    '',
  ].join('\n');
}

export function passwdFile(users: Readonly<Record<string, string>>): string {
  return Object.entries(users)
    .map(([u, pw]) => `${u}:${pw.startsWith('{') ? pw : `{PLAIN}${pw}`}\n`)
    .join('');
}

export function policyLines(p: AuthPolicy | undefined): string[] {
  if (p === undefined) return [];
  const yn = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? 'yes' : 'no');
  const settings: Record<string, string | number | undefined> = {
    auth_policy_server_url: p.serverUrl,
    auth_policy_hash_nonce: p.hashNonce,
    auth_policy_server_api_header: p.apiHeader,
    auth_policy_request_attributes: p.requestAttributes,
    auth_policy_reject_on_fail: yn(p.rejectOnFail),
    auth_policy_check_before_auth: yn(p.checkBeforeAuth),
    auth_policy_check_after_auth: yn(p.checkAfterAuth),
    auth_policy_report_after_auth: yn(p.reportAfterAuth),
    auth_policy_hash_mech: p.hashMech,
    auth_policy_hash_truncate: p.hashTruncate,
    auth_policy_server_timeout_msecs: p.timeoutMsecs,
    auth_policy_log_only: yn(p.logOnly),
  };
  return Object.entries(settings).flatMap(([k, v]) => (v === undefined ? [] : [`${k} = ${String(v)}`]));
}

/** A plaintext listener on loopback; the TLS twin is disabled with port 0 instead of left on 993/995. */
export function listener(service: string, name: string, port: number, tlsName: string): string {
  return `service ${service} {\n  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener ${tlsName} {\n    port = 0\n  }\n}`;
}

/** Dovecot 2.3's per-IP auth penalty lives behind this anvil socket; mode 0 switches it off. */
export const NO_AUTH_PENALTY = 'service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}';
