// A real OpenLDAP slapd (mdb, slapd.conf via -f) in a temp dir: upstream directory and benchmark reference.
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { makeSelfSignedCert, type SelfSigned } from './certs.js';
import { assertOk, ldapAdd, ldapModify, run, type RunResult } from './clients.js';
import { binary, freePort, makeTempDir, removeTempDir, requirePeers, spawnPeer, whenStarted, waitForTcp } from './common.js';

const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export interface Argon2Params {
  /** Memory in KiB (OpenLDAP's m=). */
  m?: number;
  t?: number;
  p?: number;
}

export interface SlapdOptions {
  /** Default dc=example,dc=org. */
  suffix?: string;
  /** Default cn=admin,<suffix>. */
  rootDn?: string;
  /** Default "secret"; stored in clear in slapd.conf (tests only). */
  rootPw?: string;
  /** Names under /etc/ldap/schema (".schema" optional) or absolute paths. Default core, cosine, inetorgperson, nis. */
  schemas?: readonly string[];
  /** Load the {ARGON2} password module (argon2.so), optionally with hashing parameters. */
  argon2?: boolean | Argon2Params;
  /** password-hash for Password Modify, e.g. "{ARGON2}" or "{SSHA}". */
  passwordHash?: string;
  /** Create the suffix entry (dc=, o= or ou= suffixes). Default true. */
  createSuffix?: boolean;
  /** LDIF loaded with slapadd before start (fast, no hashing of userPassword). */
  ldif?: string;
  /** Access rules; default: userPassword for self/auth only, everything else readable. */
  acl?: string;
  /** slapd worker threads (slapd's default is 16). */
  threads?: number;
  /** -d level: "0" (default, quiet: use for benchmarks) or "stats" to log every operation. */
  logLevel?: string;
  /** Extra lines for the database section (indexes, limits, overlays). */
  databaseConfig?: string;
  startTimeoutMs?: number;
  /** Serve TLS with a fresh self-signed certificate: StartTLS on ldap:// and implicit TLS on a second, ldaps:// port. */
  tls?: boolean;
}

export interface Slapd {
  url: string;
  port: number;
  suffix: string;
  rootDn: string;
  rootPw: string;
  dir: string;
  /** With `tls`: the ldaps:// URL and port, and the certificate clients must trust (self-signed: its own CA). Null without. */
  ldapsUrl: string | null;
  ldapsPort: number | null;
  caFile: string | null;
  /** ldapadd as the root DN; throws on failure. */
  ldapAdd(ldif: string): Promise<RunResult>;
  /** ldapmodify as the root DN; throws on failure. */
  ldapModify(ldif: string): Promise<RunResult>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const DEFAULT_ACL = `access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to * by * read`;

/** The entry for the suffix itself, for the common naming attributes. */
export function suffixEntry(suffix: string): string {
  const rdn = suffix.split(',')[0] ?? '';
  const [attr = '', value = ''] = rdn.split('=');
  switch (attr.trim().toLowerCase()) {
    case 'dc':
      return `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${value}\no: ${value}\n`;
    case 'o':
      return `dn: ${suffix}\nobjectClass: organization\no: ${value}\n`;
    case 'ou':
      return `dn: ${suffix}\nobjectClass: organizationalUnit\nou: ${value}\n`;
    default:
      throw new Error(`slapd: cannot create suffix entry for ${suffix}; pass createSuffix: false and an ldif`);
  }
}

function schemaPath(name: string): string {
  if (isAbsolute(name)) return name;
  return join(SCHEMA_DIR, name.endsWith('.schema') ? name : `${name}.schema`);
}

function argon2Line(a: boolean | Argon2Params | undefined): string {
  if (a === undefined || a === false) return '';
  const params = a === true ? [] : Object.entries(a).map(([k, v]) => `${k}=${String(v)}`);
  return ['moduleload argon2', ...params].join(' ');
}

function slapdConf(dir: string, o: Required<Pick<SlapdOptions, 'suffix' | 'rootDn' | 'rootPw'>> & SlapdOptions, cert: SelfSigned | null): string {
  const schemas = o.schemas ?? ['core', 'cosine', 'inetorgperson', 'nis'];
  const cosine = schemas.some((s) => s.includes('cosine'));
  return [
    ...schemas.map((s) => `include ${schemaPath(s)}`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    argon2Line(o.argon2),
    o.passwordHash === undefined ? '' : `password-hash ${o.passwordHash}`,
    o.threads === undefined ? '' : `threads ${o.threads}`,
    cert ? `TLSCertificateFile ${cert.certFile}\nTLSCertificateKeyFile ${cert.keyFile}` : '',
    '',
    'database mdb',
    'maxsize 1073741824',
    `suffix "${o.suffix}"`,
    `rootdn "${o.rootDn}"`,
    `rootpw ${o.rootPw}`,
    `directory ${join(dir, 'db')}`,
    'index objectClass eq',
    cosine ? 'index uid,mail eq' : '',
    o.databaseConfig ?? '',
    o.acl ?? DEFAULT_ACL,
    '',
  ].join('\n');
}

/** Starts slapd on 127.0.0.1:<free port> and waits until it accepts connections. */
export async function startSlapd(opts: SlapdOptions = {}): Promise<Slapd> {
  requirePeers('slapd', 'ldap-utils');
  if (opts.argon2 !== undefined && opts.argon2 !== false) requirePeers('slapd-argon2');
  if (opts.tls) requirePeers('openssl');
  const suffix = opts.suffix ?? 'dc=example,dc=org';
  const o = { ...opts, suffix, rootDn: opts.rootDn ?? `cn=admin,${suffix}`, rootPw: opts.rootPw ?? 'secret' };
  const dir = await makeTempDir('slapd');
  await mkdir(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  const cert = opts.tls ? await makeSelfSignedCert(dir, 'slapd') : null;
  await writeFile(conf, slapdConf(dir, o, cert));

  const initial = [(opts.createSuffix ?? true) ? suffixEntry(suffix) : '', opts.ldif ?? ''].filter(Boolean).join('\n');
  if (initial !== '') {
    const ldifFile = join(dir, 'initial.ldif');
    await writeFile(ldifFile, initial);
    // -q skips consistency checks: much faster for big benchmark directories.
    const added = await run(binary('slapadd'), ['-q', '-f', conf, '-l', ldifFile], { timeoutMs: 120_000 });
    if (added.code !== 0) await removeTempDir(dir);
    assertOk('slapadd', added);
  }

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsPort = cert ? await freePort() : null;
  const ldapsUrl = ldapsPort === null ? null : `ldaps://127.0.0.1:${ldapsPort}`;
  const listeners = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
  const proc = spawnPeer('slapd', binary('slapd'), ['-d', opts.logLevel ?? '0', '-f', conf, '-h', listeners], {
    logFile: join(dir, 'slapd.log'),
  });
  await whenStarted(proc, dir, async () => {
    await waitForTcp(proc, port, opts.startTimeoutMs ?? 10_000);
    if (ldapsPort !== null) await waitForTcp(proc, ldapsPort, opts.startTimeoutMs ?? 10_000);
  });
  const root = { url, bindDn: o.rootDn, password: o.rootPw };
  return {
    url,
    port,
    suffix,
    rootDn: o.rootDn,
    rootPw: o.rootPw,
    dir,
    ldapsUrl,
    ldapsPort,
    caFile: cert?.certFile ?? null,
    ldapAdd: async (ldif) => assertOk('ldapadd', await ldapAdd(root, ldif)),
    ldapModify: async (ldif) => assertOk('ldapmodify', await ldapModify(root, ldif)),
    logTail: (lines) => proc.logTail(lines),
    async stop() {
      await proc.stop();
      await removeTempDir(dir);
    },
  };
}
