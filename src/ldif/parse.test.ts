import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LdifError, parseLdif } from './parse.js';
import { normalizeDn } from './dn.js';
import { formatAttribute, isSafeString, writeLdif } from './write.js';

const errorAt = (text: string, pattern: RegExp): void => {
  assert.throws(
    () => parseLdif(text),
    (error: unknown) => {
      assert.ok(error instanceof LdifError, String(error));
      assert.match(error.message, pattern);
      return true;
    },
  );
};

describe('parseLdif', () => {
  it('reads records separated by blank lines, with version, comments and CRLF', () => {
    const text = 'version: 1\r\n\r\n# a comment\r\n#  folded comment\r\n  more comment\r\ndn: uid=a,o=x\r\nuid: a\r\n# inside\r\ncn: A\r\n\r\n\r\ndn: uid=b,o=x\r\nuid: b\r\n';
    const records = parseLdif(text);
    assert.equal(records.length, 2);
    assert.equal(records[0]?.dn, 'uid=a,o=x');
    assert.equal(records[0]?.line, 6);
    assert.deepEqual(records[0]?.attributes.map((a) => [a.name, a.value, a.line]), [
      ['uid', 'a', 7],
      ['cn', 'A', 9],
    ]);
    assert.equal(records[1]?.dn, 'uid=b,o=x');
  });

  it('accepts a version line directly followed by the first record', () => {
    assert.equal(parseLdif('version: 1\ndn: o=x\no: x\n').length, 1);
  });

  it('unfolds continuation lines (one leading space removed, the rest kept)', () => {
    const [record] = parseLdif('dn: cn=long,\n o=x\ndescription: a very\n  long value\nmail: ab\n c@example.org\n');
    assert.equal(record?.dn, 'cn=long,o=x');
    assert.equal(record?.attributes[0]?.value, 'a very long value');
    assert.equal(record?.attributes[1]?.value, 'abc@example.org');
  });

  it('decodes base64 values and dns, including folded base64', () => {
    const b64 = Buffer.from('Björn Müller').toString('base64');
    const dn = Buffer.from('cn=Jörg,o=x').toString('base64');
    const [record] = parseLdif(`dn:: ${dn}\ndisplayName:: ${b64.slice(0, 5)}\n ${b64.slice(5)}\njpegPhoto:: /9j/4A==\n`);
    assert.equal(record?.dn, 'cn=Jörg,o=x');
    assert.equal(record?.attributes[0]?.value, 'Björn Müller');
    assert.equal(record?.attributes[0]?.base64, true);
    assert.equal(record?.attributes[1]?.isText, false);
    assert.deepEqual([...(record?.attributes[1]?.bytes ?? [])], [0xff, 0xd8, 0xff, 0xe0]);
  });

  it('keeps attribute options, lowercased, apart from the name', () => {
    const [record] = parseLdif('dn: o=x\ndisplayName;lang-DE: Hallo\nuserCertificate;binary:: AAE=\n');
    assert.deepEqual(record?.attributes.map((a) => [a.name, a.type, a.options]), [
      ['displayName', 'displayname', ['lang-de']],
      ['userCertificate', 'usercertificate', ['binary']],
    ]);
  });

  it('keeps an empty value and accepts changetype: add', () => {
    const [record] = parseLdif('dn: cn=g,o=x\nchangetype: add\nobjectClass: groupOfNames\nmember:\n');
    assert.equal(record?.changetype, 'add');
    assert.equal(record?.attributes[1]?.value, '');
  });

  it('names the line, dn and field on invalid base64', () => {
    const text = 'dn: o=x\no: x\n\ndn: uid=bob,ou=users,o=libregraph-idm\nuid: bob\nuserPassword:: e0FSR09OMn0k*!!\n';
    errorAt(text, /^line 6 \(dn: uid=bob,ou=users,o=libregraph-idm\): invalid base64 in userPassword$/);
  });

  it('refuses file and URL values with a clear error', () => {
    errorAt('dn: uid=a,o=x\njpegPhoto:< file:///etc/passwd\n', /^line 2 \(dn: uid=a,o=x\): jpegPhoto: values read from a URL or file .* are not supported/);
  });

  it('refuses change records other than add, and controls', () => {
    errorAt('dn: uid=a,o=x\nchangetype: modify\nreplace: mail\nmail: a@x.org\n-\n', /^line 2 \(dn: uid=a,o=x\): changetype "modify" is not supported/);
    errorAt('dn: uid=a,o=x\nchangetype: delete\n', /changetype "delete" is not supported/);
    errorAt('dn: uid=a,o=x\ncontrol: 1.2.840.113556.1.4.805 true\nchangetype: delete\n', /^line 2 .*controls are not supported/);
  });

  it('reports structural mistakes with line numbers', () => {
    errorAt(' folded first\n', /^line 1: continuation line/);
    errorAt('uid: a\n', /^line 1: expected a record to start with "dn:", got "uid:"/);
    errorAt('dn: o=x\no: x\ndn: o=y\n', /^line 3 \(dn: o=x\): a second "dn:" inside a record/);
    errorAt('version: 2\n\ndn: o=x\no: x\n', /^line 1: unsupported LDIF version "2"/);
    errorAt('dn: o=x\n', /^line 1 \(dn: o=x\): the entry has no attributes/);
    errorAt('dn: o=x\nbad attr: v\n', /^line 2 \(dn: o=x\): invalid attribute description "bad attr"/);
    errorAt('dn: not a dn\nx: y\n', /^line 1 \(dn: not a dn\): invalid dn/);
  });

  it('never echoes a malformed line (it may hold a secret)', () => {
    assert.throws(() => parseLdif('dn: uid=a,o=x\n:hunter2secret\n'), (error: Error) => !error.message.includes('hunter2'));
  });
});

describe('normalizeDn', () => {
  it('compares case- and space-insensitively and unescapes', () => {
    assert.equal(normalizeDn('UID=Alice, ou=Users,  o=libregraph-idm'), 'uid=alice,ou=users,o=libregraph-idm');
    assert.equal(normalizeDn('cn=a\\2cb,o=x'), normalizeDn('cn=a\\,b,o=x'));
    assert.equal(normalizeDn('cn=J\\C3\\B6rg,o=x'), 'cn=jörg,o=x');
    assert.equal(normalizeDn('cn=b+uid=a,o=x'), normalizeDn('uid=a+cn=b,o=x'));
  });
});

describe('write', () => {
  it('base64-encodes values that are not SAFE-STRINGs', () => {
    assert.equal(isSafeString('plain value'), true);
    assert.equal(isSafeString(''), true);
    for (const unsafe of [' lead', ':colon', '<lt', 'trail ', 'Müller', 'a\nb']) assert.equal(isSafeString(unsafe), false, unsafe);
    assert.equal(formatAttribute('cn', 'Müller'), `cn:: ${Buffer.from('Müller').toString('base64')}\n`);
    assert.equal(formatAttribute('member', ''), 'member:\n');
  });

  it('folds at 76 columns and round-trips through the parser', () => {
    const long = 'x'.repeat(200);
    const binary = new Uint8Array([0, 1, 2, 255]);
    const text = writeLdif([{ dn: `cn=${'y'.repeat(90)},o=x`, attributes: [['description', long], ['cn', 'Jörg '], ['jpegPhoto', binary]] }], { header: ['made by a test'] });
    for (const line of text.split('\n')) assert.ok(line.length <= 76, line);
    assert.match(text, /^# made by a test\nversion: 1\n/);
    const [record] = parseLdif(text);
    assert.equal(record?.dn, `cn=${'y'.repeat(90)},o=x`);
    assert.equal(record?.attributes[0]?.value, long);
    assert.equal(record?.attributes[1]?.value, 'Jörg ');
    assert.deepEqual([...(record?.attributes[2]?.bytes ?? [])], [0, 1, 2, 255]);
  });
});
