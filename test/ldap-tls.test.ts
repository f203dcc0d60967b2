// LDAPS, StartTLS and requireTlsForBind, with a throw-away self-signed certificate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { findBinary } from './peers/common.js';
import { ExtendedOid, ResultCode } from '../src/frontends/ldap/protocol/index.js';
import { DN, PASSWORDS, RawLdap, startLdapFixture, type LdapFixture } from './ldap-fixture.js';

const skip = findBinary('openssl') === undefined && process.env.CI !== 'true' ? 'openssl not installed' : false;

function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'pipe' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ldapts's startTLS writes its socket into the options object: a fresh one each time.
const tlsOptions = (): { rejectUnauthorized: boolean } => ({ rejectUnauthorized: false });

describe('ldap over TLS', { skip }, () => {
  let f: LdapFixture;
  before(async () => {
    const { cert, key } = selfSigned();
    // No plain-bind exceptions: loopback must use TLS too.
    f = await startLdapFixture({ tls: { cert, key }, ldaps: { enabled: true, port: 0 }, requireTlsForBind: true, plainBindNetworks: [] });
  });
  after(() => f?.close());

  test('LDAPS: bind and WhoAmI', async () => {
    const client = new Client({ url: `ldaps://127.0.0.1:${f.server.ldapsPort}`, tlsOptions: tlsOptions(), timeout: 5000 });
    await client.bind(DN.alice, PASSWORDS.alice);
    assert.equal((await client.exop(ExtendedOid.whoAmI)).value, `dn:${DN.alice}`);
    await client.unbind();
  });

  test('requireTlsForBind refuses a plain bind; StartTLS then allows it', async () => {
    const client = new Client({ url: f.url, timeout: 5000 });
    await assert.rejects(client.bind(DN.alice, PASSWORDS.alice), (err: { code?: number }) => err.code === ResultCode.confidentialityRequired);
    await client.startTLS(tlsOptions());
    await client.bind(DN.alice, PASSWORDS.alice);
    assert.equal((await client.exop(ExtendedOid.whoAmI)).value, `dn:${DN.alice}`);
    await assert.rejects(client.startTLS(tlsOptions()), (err: { code?: number }) => err.code === ResultCode.operationsError);
    await client.unbind();
  });

  test('the root DSE advertises StartTLS; anonymous binds need no TLS', async () => {
    const client = new Client({ url: f.url, timeout: 5000 });
    await client.bind('', '');
    const root = await client.search('', { scope: 'base', attributes: ['supportedExtension'] });
    assert.ok((root.searchEntries[0]?.supportedExtension as string[]).includes(ExtendedOid.startTls));
    await client.unbind();
  });

  test('garbage after StartTLS closes that connection; others are served', async () => {
    const raw = await RawLdap.open(f.server.port);
    raw.send(1, { type: 'extendedRequest', requestName: ExtendedOid.startTls });
    const [answer] = await raw.waitFor(1);
    assert.equal((answer?.protocolOp as { resultCode?: number }).resultCode, ResultCode.success);
    raw.socket.write(Buffer.from('this is not a TLS ClientHello at all\r\n'));
    await raw.waitClosed();
    const client = new Client({ url: `ldaps://127.0.0.1:${f.server.ldapsPort}`, tlsOptions: tlsOptions(), timeout: 5000 });
    await client.bind(DN.stalwart, PASSWORDS.service);
    await client.unbind();
  });

  test('a plain client on the LDAPS port is dropped', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: f.server.ldapsPort ?? 0 }, () => socket.write(Buffer.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x42, 0x00])));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 4000);
    });
    assert.ok(closed);
  });
});
