/** The portcullis command as an operator uses it: a fresh data directory, passwords on stdin, --json. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ENTRY = join(import.meta.dirname, '../src/cli/entry.ts');
/** Absolute, because the CLI runs in a temp directory where tsx cannot be found by name. */
const TSX = import.meta.resolve('tsx');
let dir: string;

function cli(args: string[], stdin = ''): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd: dir,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, PORTCULLIS_PASSWORDS__ARGON2__MEMORY_KI_B: '8192', PORTCULLIS_PASSWORDS__ARGON2__ITERATIONS: '1', PORTCULLIS_LOG__LEVEL: 'warn' },
    timeout: 30_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(args: string[], stdin = ''): T {
  const result = cli(['--json', ...args], stdin);
  assert.equal(result.status, 0, `portcullis ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

describe('portcullis CLI', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('init writes a configuration that validates', () => {
    assert.equal(cli(['init']).status, 0);
    const check = cli(['config', 'check']);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /configuration ok \(portcullis\.yaml\)/);
  });

  test('users are managed end to end, passwords read from stdin and never printed', () => {
    assert.equal(cli(['domain', 'add', 'example.org']).status, 0);
    const added = json<{ login: string; mail: string; hasPassword: boolean }>(['user', 'add', 'bob@example.org', '--name', 'Bob B'], 'bob-secret-pw\n');
    assert.equal(added.login, 'bob');
    assert.equal(added.hasPassword, true);
    const shown = cli(['user', 'show', 'bob@example.org']);
    assert.equal(shown.status, 0);
    assert.doesNotMatch(shown.stdout + shown.stderr, /bob-secret-pw|argon2/);
    assert.equal(cli(['alias', 'add', 'b@example.org', '--user', 'bob']).status, 0);
    assert.deepEqual(json<{ aliases: string[] }>(['user', 'show', 'b@example.org']).aliases, ['b@example.org']);
    assert.equal(cli(['user', 'disable', 'bob']).status, 0);
    assert.equal(json<{ enabled: boolean }>(['user', 'show', 'bob']).enabled, false);
  });

  test('bad input gets a clear error naming the field', () => {
    const badMail = cli(['user', 'add', 'not-an-address'], 'whatever-pw-1\n');
    assert.equal(badMail.status, 1);
    assert.match(badMail.stderr, /mail "not-an-address" is invalid: expected a mail address/);
    const unknownDomain = cli(['user', 'add', 'x@unknown.example'], 'whatever-pw-1\n');
    assert.match(unknownDomain.stderr, /domain "unknown.example" is invalid: unknown domain/);
    const dup = cli(['user', 'add', 'carl@example.org', '--alias', 'b@example.org'], 'whatever-pw-1\n');
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /b@example\.org/);
    assert.equal(json<unknown[]>(['user', 'list', '--query', 'carl']).length, 0, 'nothing half-created');
  });

  test('app passwords: the secret is shown once, then only metadata', () => {
    const created = json<{ id: string; secret: string; scopes: string[] }>(['app-password', 'create', 'bob', 'Thunderbird', '--scope', 'imap', 'smtp']);
    assert.match(created.secret, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    assert.doesNotMatch(created.secret, /^app_/i);
    const list = cli(['app-password', 'list', 'bob']);
    assert.match(list.stdout, /Thunderbird/);
    assert.ok(!list.stdout.includes(created.secret));
    assert.equal(cli(['app-password', 'revoke', 'bob', created.id]).status, 0);
    assert.equal(json<unknown[]>(['app-password', 'list', 'bob']).length, 0);
  });

  test('groups and members', () => {
    assert.equal(cli(['group', 'add', 'sales', '--mail', 'sales@example.org']).status, 0);
    assert.equal(cli(['group', 'members', 'add', 'sales', 'bob']).status, 0);
    assert.deepEqual(json<{ members: string[] }>(['group', 'members', 'list', 'sales']).members, ['bob']);
    assert.equal(cli(['user', 'delete', 'bob']).status, 0);
    assert.deepEqual(json<{ members: string[] }>(['group', 'members', 'list', 'sales']).members, []);
  });

  test('an invalid configuration stops with the key, the value and what is expected', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'ldap:\n  listen: { port: 70000 }\n');
    const result = cli(['--config', 'bad.yaml', 'config', 'check']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ldap\.listen\.port: 70000 is invalid/);
  });
});
