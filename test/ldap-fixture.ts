// A Portcullis with a small directory and its LDAP server on a free loopback port, for the LDAP tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.js';
import type { ConfigInput } from '../src/config/schema.js';
import { validateConfig } from '../src/config/load.js';
import { startLdapServer, type LdapServer } from '../src/frontends/ldap/server.js';
import { LdapFramer, decodeMessage, encodeMessage, type LdapMessage, type ProtocolOp } from '../src/frontends/ldap/protocol/index.js';

export const BASE = 'dc=example,dc=org';
export const PASSWORDS = { alice: 'alice password 1', bob: 'bob password 22', carol: 'carol password 3', service: 'service password 1', admin: 'admin password 12' };
export const DN = {
  alice: `uid=alice,ou=users,${BASE}`,
  bob: `uid=bob,ou=users,${BASE}`,
  carol: `uid=carol,ou=users,${BASE}`,
  stalwart: `cn=stalwart,ou=services,${BASE}`,
  pwadmin: `cn=pwadmin,ou=services,${BASE}`,
  nobody: `cn=nobody,ou=services,${BASE}`,
  staff: `cn=staff,ou=groups,${BASE}`,
};

export interface LdapFixture {
  app: App;
  server: LdapServer;
  url: string;
  /** alice's app password allowed for imap and ldap; bob's only for imap. */
  appPasswords: { alice: string; bobImapOnly: string };
  close(): Promise<void>;
}

export type LdapOverrides = NonNullable<ConfigInput['ldap']>;

/** alice and bob (enabled, in group staff), carol (disabled); service accounts stalwart (directory-read), pwadmin (password-admin), nobody. */
export async function startLdapFixture(ldap: LdapOverrides = {}, extraUsers = 0): Promise<LdapFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'portcullis-ldap-'));
  const config = validateConfig({
    dataDir,
    log: { level: (process.env.LDAP_TEST_LOG ?? 'silent') as 'silent' },
    passwords: { argon2: { memoryKiB: 8192, iterations: 1 } },
    ldap: { listen: { host: '127.0.0.1', port: 0 }, baseDn: BASE, ...ldap },
  });
  const app = await createApp(config);
  const by = { actor: 'test', source: null };
  await app.identity.addDomain('example.org', by);
  await app.identity.addUser({ mail: 'alice@example.org', displayName: 'Alice Pleasance Liddell', password: PASSWORDS.alice, aliases: ['al@example.org', 'postmaster@example.org'] }, by);
  await app.identity.addUser({ mail: 'bob@example.org', displayName: 'Bob', password: PASSWORDS.bob }, by);
  await app.identity.addUser({ mail: 'carol@example.org', displayName: 'Carol Disabled', password: PASSWORDS.carol, enabled: false }, by);
  for (let i = 0; i < extraUsers; i++) {
    await app.identity.addUser({ mail: `user${i}@example.org`, displayName: `User ${i}`, passwordHash: null }, by);
  }
  await app.identity.addGroup({ name: 'staff', mail: 'staff@example.org', aliases: ['team@example.org'] }, by);
  await app.identity.addGroup({ name: 'nomail' }, by);
  for (const login of ['alice', 'bob', 'carol']) await app.identity.setMembership('staff', login, true, by);
  await app.identity.addServiceAccount({ name: 'stalwart', password: PASSWORDS.service, roles: ['directory-read'] }, by);
  await app.identity.addServiceAccount({ name: 'pwadmin', password: PASSWORDS.admin, roles: ['password-admin'] }, by);
  await app.identity.addServiceAccount({ name: 'nobody', password: PASSWORDS.service, roles: [] }, by);
  const alice = await app.identity.createAppPassword('alice', { name: 'mail client', scopes: ['imap', 'ldap'] }, by);
  const bob = await app.identity.createAppPassword('bob', { name: 'phone', scopes: ['imap'] }, by);
  const server = await startLdapServer(app);
  if (!server) throw new Error('ldap disabled');
  return {
    app,
    server,
    url: `ldap://127.0.0.1:${server.port}`,
    appPasswords: { alice: alice.secret, bobImapOnly: bob.secret },
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw LDAP connection for what ldapts will not send: pipelined binds, garbage, partial PDUs. */
export class RawLdap {
  readonly received: LdapMessage[] = [];
  closed = false;
  private readonly framer = new LdapFramer();
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk);
      for (let pdu = this.framer.next(); pdu; pdu = this.framer.next()) this.received.push(decodeMessage(pdu));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawLdap> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawLdap(socket)));
      socket.once('error', reject);
    });
  }

  send(messageId: number, protocolOp: ProtocolOp): void {
    this.socket.write(encodeMessage({ messageId, protocolOp, controls: [] }));
  }

  /** Waits until `count` messages arrived or the server closed; fails after timeoutMs. */
  async waitFor(count: number, timeoutMs = 5000): Promise<LdapMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && !this.closed) {
      if (Date.now() > deadline) throw new Error(`got ${this.received.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.received;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export function simpleBind(name: string, password: string): ProtocolOp {
  return { type: 'bindRequest', version: 3, name, authentication: { kind: 'simple', password: Buffer.from(password) } };
}

/** resultCode of a response op. */
export function codeOf(msg: LdapMessage | undefined): number | undefined {
  const op = msg?.protocolOp as { resultCode?: number } | undefined;
  return op?.resultCode;
}
