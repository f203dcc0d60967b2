// A real Dovecot 2.3 (dovecot -F) with a generated config in a temp dir, IMAP and POP3 on loopback.
import { execFileSync } from 'node:child_process';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  binary,
  freePort,
  makeTempDir,
  removeTempDir,
  requirePeers,
  spawnPeer,
  tailFile,
  waitForTcp,
  whenStarted,
} from './common.js';
import {
  NO_AUTH_PENALTY,
  ldapConf,
  listener,
  passdbBlock,
  passwdFile,
  policyLines,
  type AuthPolicy,
  type Passdb,
} from './dovecot-config.js';

export type { AuthPolicy, LdapPassdb, Passdb, PasswdFilePassdb, StaticPassdb } from './dovecot-config.js';

export interface DovecotOptions {
  passdb: Passdb;
  policy?: AuthPolicy;
  /** Dovecot's default is 2 secs; 0 keeps failing tests fast (a failure still takes ~0.5 s). */
  authFailureDelay?: string;
  /**
   * Dovecot's per-IP auth penalty (anvil): after a failure every login from that IP waits
   * 2..15 s. All tests share 127.0.0.1, so it is off unless a test measures it.
   */
  authPenalty?: boolean;
  /** auth_verbose_passwords, e.g. "plain" to debug a mismatch. */
  verbosePasswords?: string;
  /** Extra top-level config lines (e.g. "auth_debug = yes", "login_trusted_networks = 127.0.0.1"). */
  extraConfig?: string;
  startTimeoutMs?: number;
}

export interface Dovecot {
  imapPort: number;
  pop3Port: number;
  dir: string;
  /** stderr and dovecot.log (auth_verbose lines such as "Password mismatch"). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

interface Account {
  uid: number;
  gid: number;
  name: string;
}

function account(user: string): Account {
  const id = (flag: string): number => Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: 'pipe' }).trim());
  return { uid: id('-u'), gid: id('-g'), name: user };
}

/** Dovecot refuses to run mail processes as root, so mail belongs to a system user `vmail` (created once). */
export function ensureMailUser(): Account {
  if (process.getuid?.() !== 0) {
    const me = userInfo(); // unprivileged developer: everything runs as ourselves
    return { uid: me.uid, gid: me.gid, name: me.username };
  }
  try {
    return account('vmail');
  } catch {
    const args = ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'vmail'];
    execFileSync(binary('useradd'), args, { stdio: 'pipe' });
    return account('vmail');
  }
}

/** Starts Dovecot with IMAP and POP3 on free loopback ports and waits for both. */
export async function startDovecot(opts: DovecotOptions): Promise<Dovecot> {
  requirePeers('dovecot');
  if (opts.passdb.driver === 'ldap') requirePeers('dovecot-ldap');
  const mailUser = ensureMailUser();
  const asRoot = mailUser.name === 'vmail';
  const dir = await makeTempDir('dovecot');
  const mail = join(dir, 'mail');
  await mkdir(mail);
  await chown(mail, mailUser.uid, mailUser.gid);
  const [imapPort, pop3Port] = [await freePort(), await freePort()];
  const log = join(dir, 'dovecot.log');

  if (opts.passdb.driver === 'ldap') {
    await writeFile(join(dir, 'dovecot-ldap.conf.ext'), ldapConf(opts.passdb), { mode: 0o600 });
  }
  if (opts.passdb.driver === 'passwd-file') {
    const file = join(dir, 'passwd');
    await writeFile(file, passwdFile(opts.passdb.users), { mode: 0o600 });
    // The auth process reads it after dropping to default_internal_user.
    if (asRoot) await chown(file, account('dovecot').uid, account('dovecot').gid);
  }
  const conf = [
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `instance_name = portcullis-${imapPort}`, // distinct per instance, so logs and doveadm tell them apart
    'protocols = imap pop3',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'auth_verbose = yes',
    `auth_failure_delay = ${opts.authFailureDelay ?? '0'}`,
    opts.verbosePasswords === undefined ? '' : `auth_verbose_passwords = ${opts.verbosePasswords}`,
    `log_path = ${log}`,
    `mail_location = maildir:${mail}/%u`,
    `mail_uid = ${mailUser.uid}`,
    `mail_gid = ${mailUser.gid}`,
    `first_valid_uid = ${Math.min(mailUser.uid, 1)}`,
    `default_internal_user = ${asRoot ? 'dovecot' : mailUser.name}`,
    `default_login_user = ${asRoot ? 'dovenull' : mailUser.name}`,
    listener('imap-login', 'imap', imapPort, 'imaps'),
    listener('pop3-login', 'pop3', pop3Port, 'pop3s'),
    opts.authPenalty === true ? '' : NO_AUTH_PENALTY,
    passdbBlock(dir, opts.passdb),
    `userdb {\n  driver = static\n  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${mail}/%u\n}`,
    ...policyLines(opts.policy),
    opts.extraConfig ?? '',
    '',
  ].join('\n');
  const confFile = join(dir, 'dovecot.conf');
  await writeFile(confFile, conf);

  const proc = spawnPeer('dovecot', binary('dovecot'), ['-F', '-c', confFile], { logFile: join(dir, 'stderr.log') });
  await whenStarted(proc, dir, async () => {
    await waitForTcp(proc, imapPort, opts.startTimeoutMs ?? 10_000, log);
    await waitForTcp(proc, pop3Port, opts.startTimeoutMs ?? 10_000, log);
  });
  return {
    imapPort,
    pop3Port,
    dir,
    logTail: (lines) => [proc.logTail(lines), tailFile(log, lines)].filter(Boolean).join('\n'),
    async stop() {
      await proc.stop();
      await removeTempDir(dir);
    },
  };
}
