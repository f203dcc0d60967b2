// Hostile and broken clients: the offender gets a Notice of Disconnection or is closed; everyone else is served.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'ldapts';
import { ExtendedOid, ResultCode, type Filter, type LdapMessage } from '../src/frontends/ldap/protocol/index.js';
import { DN, PASSWORDS, RawLdap, startLdapFixture, type LdapFixture } from './ldap-fixture.js';

const LIMITS = { maxMessageBytes: 4096, maxFilterDepth: 8, maxConnections: 6, idleTimeoutSeconds: 0.6, requestTimeoutSeconds: 0.4 };

function assertNotice(messages: readonly LdapMessage[]): void {
  const notice = messages.find((m) => m.messageId === 0);
  assert.ok(notice, 'expected a Notice of Disconnection');
  const op = notice.protocolOp as { type: string; responseName?: string; resultCode?: number };
  assert.equal(op.type, 'extendedResponse');
  assert.equal(op.responseName, ExtendedOid.noticeOfDisconnection);
  assert.equal(op.resultCode, ResultCode.protocolError);
}

describe('ldap server under bad input', () => {
  let f: LdapFixture;
  before(async () => {
    f = await startLdapFixture(LIMITS);
  });
  after(() => f.close());

  /** The server still answers a normal client. */
  async function stillServes(): Promise<void> {
    const client = new Client({ url: f.url, timeout: 3000 });
    await client.bind(DN.alice, PASSWORDS.alice);
    assert.equal((await client.exop(ExtendedOid.whoAmI)).value, `dn:${DN.alice}`);
    await client.unbind();
  }

  async function expectNoticeFor(bytes: Buffer): Promise<void> {
    const raw = await RawLdap.open(f.server.port);
    raw.socket.write(bytes);
    await raw.waitClosed();
    assertNotice(raw.received);
    await stillServes();
  }

  test('malformed BER inside a well-framed message', () => expectNoticeFor(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x60, 0x7f])));

  test('a stream that does not start with a SEQUENCE', () => expectNoticeFor(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));

  test('a message over maxMessageBytes is refused from its header', () => expectNoticeFor(Buffer.from([0x30, 0x84, 0x00, 0x20, 0x00, 0x00])));

  test('a filter nested deeper than maxFilterDepth', async () => {
    let filter: Filter = { type: 'present', attribute: 'objectClass' };
    for (let i = 0; i < 20; i++) filter = { type: 'not', filter };
    const raw = await RawLdap.open(f.server.port);
    raw.send(1, { type: 'searchRequest', baseObject: '', scope: 0, derefAliases: 0, sizeLimit: 0, timeLimit: 0, typesOnly: false, filter, attributes: [] });
    await raw.waitClosed();
    assertNotice(raw.received);
    await stillServes();
  });

  test('a truncated message followed by a hang-up costs nothing', async () => {
    const raw = await RawLdap.open(f.server.port);
    raw.socket.end(Buffer.from([0x30, 0x20, 0x02, 0x01]));
    await raw.waitClosed();
    await stillServes();
  });

  test('a slow sender is closed when its message does not complete in time', async () => {
    const raw = await RawLdap.open(f.server.port);
    const pdu = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);
    const started = Date.now();
    for (const byte of pdu.subarray(0, 10)) {
      if (raw.closed) break;
      raw.socket.write(Buffer.from([byte]));
      await sleep(100);
    }
    await raw.waitClosed(3000);
    assert.ok(Date.now() - started < 2000);
    await stillServes();
  });

  test('an idle connection is closed', async () => {
    const raw = await RawLdap.open(f.server.port);
    await raw.waitClosed(3000);
    await stillServes();
  });

  test('connections over maxConnections are closed at once; the others stay served', async () => {
    const held: RawLdap[] = [];
    try {
      for (let i = 0; i < LIMITS.maxConnections; i++) held.push(await RawLdap.open(f.server.port));
      await sleep(50);
      const extra = await RawLdap.open(f.server.port);
      await extra.waitClosed(2000);
      const first = held[0];
      assert.ok(first && !first.closed);
      first.send(1, { type: 'extendedRequest', requestName: ExtendedOid.whoAmI });
      const [answer] = await first.waitFor(1);
      assert.equal((answer?.protocolOp as { resultCode?: number }).resultCode, ResultCode.success);
    } finally {
      for (const raw of held) raw.destroy();
    }
    await sleep(50);
    await stillServes();
  });
});
