// Self-test of the peer harness: each real peer starts and behaves, with no Portcullis involved.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { curlLogin, ldapPasswd, ldapSearch, ldapWhoami, swaksAuth } from './clients.js';
import { skipUnless } from './common.js';
import { startDovecot } from './dovecot.js';
import { startFakeHttp, startFakeSmtp } from './fakes.js';
import { startNginxMail } from './nginx.js';
import { dnsblName, startRbldnsd } from './rbldnsd.js';
import { startSlapd } from './slapd.js';

const person = (uid: string, suffix: string, extra = ''): string =>
  `dn: uid=${uid},${suffix}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nmail: ${uid}@example.org\n${extra}`;

test('slapd: ldapadd, Password Modify to {ARGON2}, binds', { skip: skipUnless('slapd', 'slapd-argon2', 'ldap-utils') }, async (t) => {
  // An argon2id hash as OpenCloud writes it, loaded with slapadd before start.
  const bobHash = await hash('bob-pw', { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const slapd = await startSlapd({
    argon2: { m: 19456, t: 2, p: 1 },
    passwordHash: '{ARGON2}',
    ldif: person('bob', 'dc=example,dc=org', `userPassword: {ARGON2}${bobHash}\n`),
  });
  t.after(() => slapd.stop());
  const alice = `uid=alice,${slapd.suffix}`;
  await slapd.ldapAdd(person('alice', slapd.suffix));
  const root = { url: slapd.url, bindDn: slapd.rootDn, password: slapd.rootPw };
  assert.equal((await ldapPasswd(root, alice, 'alice-pw')).code, 0);
  // password-hash took effect. (slapd 2.5.13 writes $argon2i$ here, with two trailing NUL bytes.)
  const stored = await ldapSearch(root, { base: alice, scope: 'base', attrs: ['userPassword'] });
  const b64 = /userPassword:: (.+)/.exec(stored.stdout.replace(/\n /g, ''))?.[1] ?? '';
  assert.match(Buffer.from(b64, 'base64').toString('latin1'), /^\{ARGON2\}\$argon2i?d?\$/);

  const ok = await ldapWhoami({ url: slapd.url, bindDn: alice, password: 'alice-pw' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /dn:uid=alice,dc=example,dc=org/);
  assert.equal((await ldapWhoami({ url: slapd.url, bindDn: alice, password: 'wrong' })).code, 49);
  const bob = await ldapWhoami({ url: slapd.url, bindDn: `uid=bob,${slapd.suffix}`, password: 'bob-pw' });
  assert.equal(bob.code, 0, bob.stderr);
});

test('dovecot: passwd-file passdb, IMAP and POP3 via curl', { skip: skipUnless('dovecot', 'curl') }, async (t) => {
  const dovecot = await startDovecot({ passdb: { driver: 'passwd-file', users: { alice: 'pw' } } });
  t.after(() => dovecot.stop());
  const imap = await curlLogin('imap', dovecot.imapPort, 'alice', 'pw');
  assert.equal(imap.code, 0, imap.stderr + dovecot.logTail());
  assert.match(imap.stdout, /INBOX/);
  assert.equal((await curlLogin('imap', dovecot.imapPort, 'alice', 'bad')).code, 67);
  assert.equal((await curlLogin('pop3', dovecot.pop3Port, 'alice', 'pw', { mech: 'LOGIN' })).code, 0);
  assert.equal((await curlLogin('pop3', dovecot.pop3Port, 'alice', 'bad')).code, 67);
  assert.match(dovecot.logTail(), /Password mismatch/);
});

test('dovecot: LDAP passdb with auth_bind against slapd', { skip: skipUnless('slapd', 'ldap-utils', 'dovecot', 'dovecot-ldap', 'curl') }, async (t) => {
  const suffix = 'o=libregraph-idm';
  const service = `cn=dovecot,${suffix}`;
  const slapd = await startSlapd({
    suffix,
    ldif: [
      `dn: ${service}\nobjectClass: person\ncn: dovecot\nsn: dovecot\nuserPassword: svc-pw\n`,
      `dn: ou=users,${suffix}\nobjectClass: organizationalUnit\nou: users\n`,
      person('carol', `ou=users,${suffix}`, 'userPassword: carol-pw\n'),
    ].join('\n'),
  });
  t.after(() => slapd.stop());
  const dovecot = await startDovecot({
    passdb: { driver: 'ldap', uris: slapd.url, base: suffix, dn: service, dnpass: 'svc-pw' },
  });
  t.after(() => dovecot.stop());
  const ok = await curlLogin('imap', dovecot.imapPort, 'carol', 'carol-pw');
  assert.equal(ok.code, 0, ok.stderr + dovecot.logTail());
  assert.equal((await curlLogin('imap', dovecot.imapPort, 'carol', 'bad')).code, 67);
  // The same long-lived LDAP connection must recover after the failed user bind.
  assert.equal((await curlLogin('imap', dovecot.imapPort, 'carol', 'carol-pw')).code, 0);
});

test('nginx mail proxy: auth_http decides, dovecot serves', { skip: skipUnless('nginx', 'dovecot', 'curl', 'swaks') }, async (t) => {
  const dovecot = await startDovecot({ passdb: { driver: 'static' } });
  t.after(() => dovecot.stop());
  const auth = await startFakeHttp();
  t.after(() => auth.close());
  const smtp = await startFakeSmtp();
  t.after(() => smtp.close());
  const nginx = await startNginxMail({
    authHttp: `${auth.url}/auth`,
    authHttpHeaders: { 'X-Portcullis-Secret': 'test-secret' },
  });
  t.after(() => nginx.stop());
  assert.ok(nginx.imapPort !== undefined && nginx.pop3Port !== undefined && nginx.smtpPort !== undefined);
  const okTo = (port: number) => () => ({ headers: { 'Auth-Status': 'OK', 'Auth-Server': '127.0.0.1', 'Auth-Port': String(port) } });

  auth.reply = okTo(dovecot.imapPort);
  const ok = await curlLogin('imap', nginx.imapPort, 'dave', 'p@ss word');
  assert.equal(ok.code, 0, ok.stderr + nginx.logTail() + dovecot.logTail());
  assert.match(ok.stdout, /INBOX/);
  const seen = auth.requests.at(-1)?.headers;
  assert.equal(seen?.['auth-user'], 'dave');
  // Percent-escaped (space at least; nginx leaves "@" alone), CONTRACTS.md §10.
  assert.equal(seen['auth-pass'], 'p@ss%20word');
  assert.equal(decodeURIComponent(String(seen['auth-pass'])), 'p@ss word');
  assert.equal(seen['auth-protocol'], 'imap');
  assert.equal(seen['x-portcullis-secret'], 'test-secret');

  auth.reply = okTo(dovecot.pop3Port);
  assert.equal((await curlLogin('pop3', nginx.pop3Port, 'dave', 'pw')).code, 0);

  auth.reply = okTo(smtp.port);
  const sent = await swaksAuth(nginx.smtpPort, 'dave', 'pw');
  assert.equal(sent.code, 0, sent.stdout + sent.stderr + nginx.logTail());
  assert.equal(auth.requests.at(-1)?.headers['auth-protocol'], 'smtp');

  auth.reply = () => ({ headers: { 'Auth-Status': 'Invalid login or password' } });
  const denied = await curlLogin('imap', nginx.imapPort, 'dave', 'bad');
  assert.equal(denied.code, 67, denied.stderr);
  auth.reply = () => ({ headers: { 'Auth-Status': 'Invalid login or password', 'Auth-Error-Code': '535 5.7.8' } });
  const refused = await swaksAuth(nginx.smtpPort, 'dave', 'bad');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout, /535 5\.7\.8 Invalid login or password/);
});

test('dovecot: auth policy server sees allow/report, can reject', { skip: skipUnless('dovecot', 'curl') }, async (t) => {
  const policy = await startFakeHttp();
  t.after(() => policy.close());
  policy.reply = () => ({ headers: { 'Content-Type': 'application/json' }, body: '{"status":0,"msg":""}' });
  const dovecot = await startDovecot({
    passdb: { driver: 'passwd-file', users: { alice: 'pw' } },
    policy: { serverUrl: `${policy.url}/`, hashNonce: 'secret', apiHeader: 'X-API-Key: k1' },
  });
  t.after(() => dovecot.stop());
  const commands = (): string[] => policy.requests.map((r) => r.url);

  assert.equal((await curlLogin('imap', dovecot.imapPort, 'alice', 'pw')).code, 0);
  assert.deepEqual(commands(), ['/?command=allow', '/?command=allow', '/?command=report']);
  const first = policy.requests[0];
  assert.equal(first?.method, 'POST');
  assert.equal(first.headers['x-api-key'], 'k1');
  const body = JSON.parse(first.body) as Record<string, unknown>;
  assert.equal(body.login, 'alice');
  assert.equal(body.pwhash, '0208'); // CONTRACTS.md §6 test vector: nonce "secret", alice, "pw"
  assert.equal(body.tls, false);

  policy.requests.length = 0;
  policy.reply = (r) => ({ body: r.url.endsWith('allow') ? '{"status":-1,"msg":"go away"}' : '{}' });
  const rejected = await curlLogin('imap', dovecot.imapPort, 'alice', 'pw');
  assert.equal(rejected.code, 67);
  assert.equal(policy.requests[0]?.url, '/?command=allow');
});

test('rbldnsd: listed addresses answer 127.0.0.2, others NXDOMAIN', { skip: skipUnless('rbldnsd') }, async (t) => {
  const rbl = await startRbldnsd([
    { name: 'bl.test', type: 'ip4set', entries: ['192.0.2.1', '198.51.100.0/24'] },
    { name: 'bl6.test', type: 'ip6trie', entries: ['2001:db8::1', '2001:db8:1::/48'], answer: '127.0.0.3' },
  ]);
  t.after(() => rbl.stop());
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([rbl.server]);
  assert.deepEqual(await resolver.resolve4(dnsblName('192.0.2.1', 'bl.test')), ['127.0.0.2']);
  assert.deepEqual(await resolver.resolve4(dnsblName('198.51.100.77', 'bl.test')), ['127.0.0.2']);
  assert.deepEqual(await resolver.resolveTxt(dnsblName('192.0.2.1', 'bl.test')), [['Listed in bl.test: 192.0.2.1']]);
  await assert.rejects(resolver.resolve4(dnsblName('192.0.2.2', 'bl.test')), { code: 'ENOTFOUND' });
  assert.deepEqual(await resolver.resolve4(dnsblName('2001:db8:1::9', 'bl6.test')), ['127.0.0.3']);
  await assert.rejects(resolver.resolve4(dnsblName('2001:db8::2', 'bl6.test')), { code: 'ENOTFOUND' });
});
