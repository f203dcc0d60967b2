/**
 * Upstream directories for the backend tests: a slapd shaped like OpenCloud's IDM (openCloudUUID,
 * openCloudUserEnabled, {ARGON2} passwords, groups under ou=groups) and a plain inetOrgPerson one
 * (dc=corp,dc=example), plus a TCP relay that takes an upstream away and brings it back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordHasher } from '../../src/passwords/hasher.js';
import { startSlapd, type Slapd, type SlapdOptions } from '../peers/slapd.js';

// openCloudUser is not in stock OpenLDAP schemas: a tiny one for the tests (private OIDs).
export const OPENCLOUD_SCHEMA = `
attributetype ( 1.3.6.1.4.1.99999.63.1.1 NAME 'openCloudUUID' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.99999.63.1.2 NAME 'openCloudUserEnabled' EQUALITY booleanMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.7 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.99999.63.2.1 NAME 'openCloudUser' SUP top AUXILIARY MAY ( openCloudUUID $ openCloudUserEnabled ) )
`;

export const EINSTEIN_UUID = '4c510ada-c86b-4815-8820-42cdf82c3d51';
export const IDM_PASSWORDS = { einstein: 'relativity-1905', marie: 'radium-1898' } as const;

export function idmLdif(hash: (pw: string) => string): string {
  const user = (uid: string, name: string, uuid: string, pw: string, enabled = 'TRUE') => `
dn: uid=${uid},ou=users,o=libregraph-idm
objectClass: inetOrgPerson
objectClass: openCloudUser
uid: ${uid}
cn: ${name}
sn: ${name.split(' ').pop()}
displayName: ${name}
mail: ${uid}@example.org
openCloudUUID: ${uuid}
openCloudUserEnabled: ${enabled}
userPassword: ${hash(pw)}
`;
  return `dn: ou=users,o=libregraph-idm
objectClass: organizationalUnit
ou: users

dn: ou=groups,o=libregraph-idm
objectClass: organizationalUnit
ou: groups
${user('einstein', 'Albert Einstein', EINSTEIN_UUID, IDM_PASSWORDS.einstein)}
${user('marie', 'Marie Curie', '7b87fc6f-8e1d-4b1e-9b52-8c3b5b1f0c11', IDM_PASSWORDS.marie, 'FALSE')}
dn: cn=physics,ou=groups,o=libregraph-idm
objectClass: groupOfNames
cn: physics
member: uid=einstein,ou=users,o=libregraph-idm
`;
}

export const CORP_LDIF = `dn: ou=people,dc=corp,dc=example
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=corp,dc=example
objectClass: organizationalUnit
ou: groups

dn: uid=dave,ou=people,dc=corp,dc=example
objectClass: inetOrgPerson
uid: dave
cn: Dave Corp
sn: Corp
mail: dave@corp.example
mail: d.corp@corp.example
userPassword: dave-password-1

dn: cn=sales,ou=groups,dc=corp,dc=example
objectClass: groupOfNames
cn: sales
member: uid=dave,ou=people,dc=corp,dc=example
`;

/** The OpenCloud-IDM-shaped slapd (o=libregraph-idm) with einstein (enabled) and marie (disabled). */
export async function startIdmSlapd(extra: SlapdOptions = {}): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'opencloud-schema-'));
  writeFileSync(join(dir, 'opencloud.schema'), OPENCLOUD_SCHEMA);
  const hasher = await PasswordHasher.create({ params: { memoryKiB: 8192, iterations: 1, parallelism: 1 } });
  const hashes = new Map<string, string>();
  for (const pw of Object.values(IDM_PASSWORDS)) hashes.set(pw, `{ARGON2}${await hasher.hash(pw)}`);
  try {
    const slapd = await startSlapd({
      suffix: 'o=libregraph-idm',
      schemas: ['core', 'cosine', 'inetorgperson', 'nis', join(dir, 'opencloud.schema')],
      argon2: true,
      ldif: idmLdif((pw) => hashes.get(pw) ?? ''),
      ...extra,
    });
    return { ...slapd, stop: async () => { await slapd.stop(); rmSync(dir, { recursive: true, force: true }); } };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The plain directory (dc=corp,dc=example) with dave and group sales. */
export function startCorpSlapd(extra: SlapdOptions = {}): Promise<Slapd> {
  return startSlapd({ suffix: 'dc=corp,dc=example', ldif: CORP_LDIF, ...extra });
}

/** A TCP relay in front of slapd that can be taken down and brought back on the same port. */
export class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

/**
 * The backends section both upstream tests use: `idm` (OpenCloud-shaped, DN template) in the default
 * order, `corp` (search-then-bind, reached through `corpUrl`, e.g. a relay that can be cut) for its domain.
 */
export function upstreamBackends(idm: Slapd, corp: Slapd, corpUrl: string, idmCacheSeconds: number) {
  return {
    order: ['local', 'idm'],
    routes: { 'corp.example': ['local', 'corp'] },
    upstreams: [
      {
        name: 'idm', type: 'ldap' as const, url: idm.url, bindDn: idm.rootDn, bindPassword: idm.rootPw, baseDn: 'ou=users,o=libregraph-idm',
        userDnTemplate: 'uid={login},ou=users,o=libregraph-idm', cacheSeconds: idmCacheSeconds,
        attributes: { id: 'openCloudUUID', passwordVersion: 'entryCSN' },
        enabled: { attribute: 'openCloudUserEnabled', type: 'boolean' as const },
        groups: { source: 'search' as const, baseDn: 'ou=groups,o=libregraph-idm' },
      },
      {
        name: 'corp', type: 'ldap' as const, url: corpUrl, bindDn: corp.rootDn, bindPassword: corp.rootPw, baseDn: 'dc=corp,dc=example',
        userFilter: '(&(objectClass=inetOrgPerson)(|(uid={local})(mail={login})))', cacheSeconds: 0, timeoutMs: 1000,
        breaker: { failureThreshold: 2, openSeconds: 1 },
      },
    ],
  };
}
