import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dn, parseDn, normalizeDn } from './dn.js';
import { DnSyntaxError } from '../errors.js';
import { ResultCode } from '../result-codes.js';

test('parses RDNs, multi-valued RDNs and escapes', () => {
  const dn = parseDn('cn=Doe\\, John+uid=jd,ou=Users,dc=example,dc=org');
  assert.equal(dn.rdns.length, 4);
  assert.deepEqual(dn.rdns[0], [{ type: 'cn', value: 'Doe, John' }, { type: 'uid', value: 'jd' }]);
  assert.equal(parseDn('cn=a\\2Cb').rdns[0]?.[0]?.value, 'a,b');
  assert.equal(parseDn('cn=Lu\\C4\\8Di\\C4\\87').rdns[0]?.[0]?.value, 'Lučić');
  assert.equal(parseDn('cn=Lučić').rdns[0]?.[0]?.value, 'Lučić');
  assert.equal(parseDn('cn=\\ lead and trail\\ ').rdns[0]?.[0]?.value, ' lead and trail ');
  assert.equal(parseDn('cn = spaced , dc = org').normalized, 'cn=spaced,dc=org');
  assert.equal(parseDn('cn="quoted, legacy"').rdns[0]?.[0]?.value, 'quoted, legacy');
  assert.equal(parseDn('cn=a=b').rdns[0]?.[0]?.value, 'a=b');
  assert.equal(parseDn('2.5.4.3=x').rdns[0]?.[0]?.type, '2.5.4.3');
  assert.equal(parseDn('').isRoot, true);
  assert.equal(parseDn('cn=').rdns[0]?.[0]?.value, '');
});

test('hex values keep their BER, and string BER becomes text', () => {
  const dn = parseDn('cn=#0c03616263');
  assert.equal(dn.rdns[0]?.[0]?.value, 'abc');
  assert.ok(dn.equals('CN=ABC'));
  const bin = parseDn('userCertificate=#0201FF');
  assert.equal(bin.normalized, 'usercertificate=#0201ff');
  assert.equal(bin.toString(), 'userCertificate=#0201ff');
});

test('normalized form: types and values case-folded, spaces trimmed, escaping consistent', () => {
  assert.equal(normalizeDn('UID=Jane.Doe, OU=Users ,DC=Example,DC=Org'), 'uid=jane.doe,ou=users,dc=example,dc=org');
  assert.equal(normalizeDn('cn=a\\2cb'), normalizeDn('cn=a\\,b'));
  assert.equal(normalizeDn('cn=a\\2cb'), 'cn=a\\,b');
  assert.equal(normalizeDn('cn=John   Smith'), 'cn=john smith');
  assert.equal(normalizeDn('uid=b+cn=a'), normalizeDn('cn=a+uid=b'));
  assert.equal(normalizeDn('2.5.4.3=X,0.9.2342.19200300.100.1.25=org'), 'cn=x,dc=org');
  assert.equal(normalizeDn('commonName=x,domainComponent=org'), 'cn=x,dc=org');
  assert.equal(normalizeDn('cn=\\#hash'), 'cn=\\#hash');
});

test('equals, parent, isDescendantOf, isChildOf', () => {
  const user = Dn.parse('uid=jane,ou=users,dc=example,dc=org');
  assert.ok(user.equals('UID=Jane,ou=Users,dc=EXAMPLE,dc=org'));
  assert.ok(!user.equals('uid=john,ou=users,dc=example,dc=org'));
  assert.equal(user.parent()?.toString(), 'ou=users,dc=example,dc=org');
  assert.equal(Dn.root.parent(), undefined);
  assert.ok(user.isDescendantOf('dc=Example,dc=org'));
  assert.ok(user.isDescendantOf('ou=users,dc=example,dc=org'));
  assert.ok(user.isDescendantOf(''));
  assert.ok(!user.isDescendantOf(user));
  assert.ok(user.isDescendantOf(user, { orSelf: true }));
  assert.ok(!user.isDescendantOf('dc=example,dc=com'));
  assert.ok(!user.isDescendantOf('ou=groups,dc=example,dc=org'));
  assert.ok(user.isChildOf('ou=users,dc=example,dc=org'));
  assert.ok(!user.isChildOf('dc=example,dc=org'));
  // Suffix of the string is not a suffix of RDNs.
  assert.ok(!Dn.parse('cn=x,dc=badexample,dc=org').isDescendantOf('dc=example,dc=org'));
});

test('toString re-escapes consistently and round-trips', () => {
  for (const s of ['cn=Doe\\, John+uid=jd,dc=org', 'cn=\\#x\\ ', 'cn=a\\+b\\;c\\<d\\>e\\"f\\\\g', 'cn=Lučić,dc=org']) {
    const dn = parseDn(s);
    assert.equal(parseDn(dn.toString()).normalized, dn.normalized);
    assert.deepEqual(parseDn(dn.toString()).rdns, dn.rdns);
  }
});

test('invalid DNs throw DnSyntaxError mapped to invalidDNSyntax', () => {
  for (const bad of ['cn', 'cn=a,', ',cn=a', 'cn=a,,dc=b', '=a', 'cn=a+', 'cn=a\\', 'cn=a\\zz', 'cn=#', 'cn=#abc', 'cn=a;dc=b', 'cn="open', '1.2.=x', 'cn=\\ff', 'cn=a<b', '-cn=a']) {
    assert.throws(
      () => parseDn(bad),
      (err: unknown) => err instanceof DnSyntaxError && err.resultCode === ResultCode.invalidDNSyntax,
      bad,
    );
  }
});
