/** The README's first command: `portcullis demo` starts with a demo user that works at once, over HTTP and LDAP. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { freePort } from './peers/common.js';

const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
const TSX = import.meta.resolve('tsx');

describe('portcullis demo', () => {
  let dir: string;
  let child: ChildProcess;
  let httpPort: number;
  let ldapPort: number;
  let output = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-demo-'));
    httpPort = await freePort();
    ldapPort = await freePort();
    child = spawn(process.execPath, ['--import', TSX, ENTRY, 'demo'], {
      cwd: dir,
      env: { ...process.env, PORTCULLIS_HTTP__LISTEN__PORT: String(httpPort), PORTCULLIS_LDAP__LISTEN__PORT: String(ldapPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('Portcullis demo is running'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(output, /Portcullis demo is running/, output);
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => null))?.ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('the demo user logs in over the Nauthilus-compatible API', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo@example.org', password: 'demo-password-123', protocol: 'imap', client_ip: '192.0.2.10' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { ok: boolean }).ok, true);
    const wrong = await fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo@example.org', password: 'not-it', protocol: 'imap', client_ip: '192.0.2.10' }),
    });
    assert.equal(wrong.status, 403);
  });

  test('the demo user binds over LDAP, and the demo service account reads the directory', async () => {
    const client = new Client({ url: `ldap://127.0.0.1:${ldapPort}` });
    try {
      await client.bind('uid=demo,ou=users,dc=example,dc=org', 'demo-password-123');
      await client.bind('cn=stalwart,ou=services,dc=example,dc=org', 'stalwart-demo-secret');
      const { searchEntries } = await client.search('dc=example,dc=org', { filter: '(mail=demo@example.org)', attributes: ['uid'] });
      assert.equal(searchEntries[0]?.['uid'], 'demo');
    } finally {
      await client.unbind();
    }
  });

  test('the self-service and admin pages are served', async () => {
    for (const path of ['/self/', '/admin/']) {
      const response = await fetch(`http://127.0.0.1:${httpPort}${path}`);
      assert.equal(response.status, 200, path);
    }
  });

  test('the demo passwords are never logged', () => {
    const logLines = output.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(logLines.length > 0);
    assert.ok(logLines.every((l) => !l.includes('demo-password-123') && !l.includes('stalwart-demo-secret')));
  });
});
