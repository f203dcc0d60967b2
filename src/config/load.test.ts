import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './load.js';

function tempFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'portcullis-config-')), 'portcullis.yaml');
  writeFileSync(file, text);
  return file;
}

test('no file at all gives the embedded defaults', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.store.driver, 'sqlite');
  assert.equal(config.redis.url, undefined);
  assert.equal(config.passwords.argon2.memoryKiB, 19456);
  assert.equal(config.ldap.baseDn, 'dc=example,dc=org');
});

test('a file and environment overrides combine, the environment winning', () => {
  const file = tempFile('ldap:\n  baseDn: o=libregraph-idm\n  listen: { port: 1389 }\n');
  const config = loadConfig({ file, env: { PORTCULLIS_LDAP__LISTEN__PORT: '2389', PORTCULLIS_STORE__DRIVER: 'postgres' } });
  assert.equal(config.ldap.baseDn, 'o=libregraph-idm');
  assert.equal(config.ldap.listen.port, 2389);
  assert.equal(config.store.driver, 'postgres');
});

test('every invalid value is reported at once, naming key, value and expectation', () => {
  const file = tempFile('ldap:\n  listen: { port: 99999 }\nstore:\n  driver: mysql\nbogus: 1\n');
  assert.throws(
    () => loadConfig({ file, env: {} }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 3);
      assert.match(err.message, /ldap\.listen\.port: 99999 is invalid/);
      assert.match(err.message, /store\.driver: "mysql" is invalid — .*sqlite.*postgres/);
      assert.match(err.message, /unknown key\(s\) "bogus"/);
      return true;
    },
  );
});

test('secret values are never echoed in errors', () => {
  const file = tempFile('serverKey: tooshort-but-secret\n');
  assert.throws(() => loadConfig({ file, env: {} }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.doesNotMatch(err.message, /tooshort-but-secret/);
    assert.match(err.message, /serverKey: \(hidden\) is invalid/);
    return true;
  });
});

test('broken YAML names the file', () => {
  const file = tempFile('ldap: [unclosed\n');
  assert.throws(() => loadConfig({ file, env: {} }), /is not valid YAML/);
});

test('a misspelt key inside a section stops start-up too', () => {
  const file = tempFile('guard:\n  trustedRelay: [10.0.0.1]\nldap:\n  tls: { certificate: x }\n');
  assert.throws(() => loadConfig({ file, env: {} }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /guard: unknown key\(s\) "trustedRelay"/);
    assert.match(err.message, /ldap\.tls: unknown key\(s\) "certificate"/);
    return true;
  });
});
