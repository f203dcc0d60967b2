// Real command-line clients (curl, swaks, ldap-utils) run with timeouts and captured output.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, requirePeers } from './common.js';

export interface RunResult {
  /** Exit code; null when killed (see timedOut). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion, killing it after timeoutMs; never rejects on a non-zero exit. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary(command), args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 20_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined); // the client may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs fn with a 0600 file holding `secret` (no newline), so passwords stay out of `ps`. */
async function withSecretFile<T>(secret: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-secret-'));
  const file = join(dir, 'pw');
  writeFileSync(file, secret, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// curl's config syntax: a double-quoted string with backslash escapes.
const curlQuote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export interface CurlLoginOptions {
  /** Path part of the URL, e.g. "INBOX" (IMAP) or "1" (POP3 message). Default: list. */
  path?: string;
  timeoutS?: number;
  /** SASL mechanism, e.g. "PLAIN" or "LOGIN"; curl picks one itself when unset. */
  mech?: string;
}

/**
 * An IMAP or POP3 login with curl. Exit 0: logged in; 67: login denied; 28: timeout;
 * 8/56: the server answered oddly or hung up. Credentials go in through stdin (--config -).
 */
export function curlLogin(
  protocol: 'imap' | 'pop3',
  port: number,
  user: string,
  password: string,
  opts: CurlLoginOptions = {},
): Promise<RunResult> {
  requirePeers('curl');
  const timeoutS = opts.timeoutS ?? 10;
  const url = `${protocol}://127.0.0.1:${port}/${opts.path ?? ''}`;
  const mech = opts.mech === undefined ? [] : ['--login-options', `AUTH=${opts.mech}`];
  const config = `user = ${curlQuote(`${user}:${password}`)}\n`;
  return run('curl', ['-sS', '--max-time', String(timeoutS), ...mech, '--config', '-', url], {
    input: config,
    timeoutMs: (timeoutS + 5) * 1000,
  });
}

export interface SwaksOptions {
  mech?: 'PLAIN' | 'LOGIN';
  quitAfter?: 'CONNECT' | 'EHLO' | 'AUTH' | 'MAIL' | 'RCPT';
  from?: string;
  to?: string;
  timeoutS?: number;
}

/** An SMTP AUTH with swaks; exit 0 on success, 28 when AUTH was refused. Password via env. */
export function swaksAuth(port: number, user: string, password: string, opts: SwaksOptions = {}): Promise<RunResult> {
  requirePeers('swaks');
  const timeoutS = opts.timeoutS ?? 10;
  const args = [
    '--server', `127.0.0.1:${port}`,
    '--auth', opts.mech ?? 'PLAIN',
    '--auth-user', user,
    '--quit-after', opts.quitAfter ?? 'AUTH',
    '--timeout', `${timeoutS}s`,
    '--from', opts.from ?? `${user.includes('@') ? user : `${user}@example.org`}`,
    '--to', opts.to ?? 'postmaster@example.org',
  ];
  // swaks reads any option from SWAKS_OPT_<name>; the environment is not world-readable.
  const env = { ...process.env, SWAKS_OPT_auth_password: password };
  return run('swaks', args, { env, timeoutMs: (timeoutS * 3 + 5) * 1000 });
}

export interface LdapTarget {
  /** ldap://127.0.0.1:PORT */
  url: string;
  /** Bind DN; anonymous when unset. */
  bindDn?: string;
  password?: string;
  timeoutS?: number;
}

function ldapArgs(t: LdapTarget, pwFile: string | undefined): string[] {
  const timeout = String(t.timeoutS ?? 10);
  const args = ['-x', '-H', t.url, '-o', `nettimeout=${timeout}`];
  if (t.bindDn !== undefined) args.push('-D', t.bindDn);
  if (pwFile !== undefined) args.push('-y', pwFile);
  return args;
}

function runLdap(tool: string, t: LdapTarget, extra: readonly string[], input?: string): Promise<RunResult> {
  requirePeers('ldap-utils');
  const timeoutMs = ((t.timeoutS ?? 10) + 5) * 1000;
  const go = (pwFile: string | undefined): Promise<RunResult> =>
    run(tool, [...ldapArgs(t, pwFile), ...extra], { timeoutMs, ...(input === undefined ? {} : { input }) });
  return t.password === undefined ? go(undefined) : withSecretFile(t.password, go);
}

/** ldapwhoami: exit 0 and "dn:..." on stdout when the bind worked, 49 on bad credentials. */
export function ldapWhoami(t: LdapTarget): Promise<RunResult> {
  return runLdap('ldapwhoami', t, []);
}

export interface SearchOptions {
  base: string;
  filter?: string;
  attrs?: readonly string[];
  scope?: 'base' | 'one' | 'sub' | 'children';
}

/** ldapsearch -LLL; stdout is LDIF. */
export function ldapSearch(t: LdapTarget, s: SearchOptions): Promise<RunResult> {
  return runLdap('ldapsearch', t, ['-LLL', '-b', s.base, '-s', s.scope ?? 'sub', s.filter ?? '(objectClass=*)', ...(s.attrs ?? [])]);
}

/** ldapadd of an LDIF string (stdin). */
export function ldapAdd(t: LdapTarget, ldif: string): Promise<RunResult> {
  return runLdap('ldapadd', t, [], ldif);
}

/** ldapmodify of an LDIF string with changetype records. */
export function ldapModify(t: LdapTarget, ldif: string): Promise<RunResult> {
  return runLdap('ldapmodify', t, [], ldif);
}

/** RFC 3062 Password Modify; without newPassword the server generates one (printed on stdout). */
export function ldapPasswd(t: LdapTarget, userDn: string, newPassword?: string): Promise<RunResult> {
  if (newPassword === undefined) return runLdap('ldappasswd', t, [userDn]);
  return withSecretFile(newPassword, (file) => runLdap('ldappasswd', t, ['-T', file, userDn]));
}

/** Throws with the client's output unless it exited 0; for set-up steps. */
export function assertOk(what: string, r: RunResult): RunResult {
  if (r.code !== 0) {
    throw new Error(`${what} failed (exit ${String(r.code)}${r.timedOut ? ', timed out' : ''}): ${r.stderr}${r.stdout}`);
  }
  return r;
}
