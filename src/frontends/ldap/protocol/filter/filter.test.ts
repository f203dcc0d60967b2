import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter } from './parse.js';
import { filterToString, escapeFilterValue } from './print.js';
import { decodeFilter, encodeFilter } from './ber.js';
import type { Filter } from './types.js';
import { BerReader } from '../ber/reader.js';
import { BerWriter } from '../ber/writer.js';
import { FilterSyntaxError, ProtocolError } from '../errors.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

function ber(f: Filter): Buffer {
  const w = new BerWriter();
  encodeFilter(w, f);
  return w.toBuffer();
}

test('parses the RFC 4515 forms into the AST', () => {
  assert.deepEqual(parseFilter('(&(objectClass=inetOrgPerson)(mail=a\\2ab))'), {
    type: 'and',
    filters: [
      { type: 'equality', attribute: 'objectClass', value: b('inetOrgPerson') },
      { type: 'equality', attribute: 'mail', value: b('a*b') },
    ],
  });
  assert.deepEqual(parseFilter('(cn=*)'), { type: 'present', attribute: 'cn' });
  assert.deepEqual(parseFilter('(cn=a*)'), { type: 'substrings', attribute: 'cn', initial: b('a'), any: [] });
  assert.deepEqual(parseFilter('(cn=*b*c*)'), { type: 'substrings', attribute: 'cn', any: [b('b'), b('c')] });
  assert.deepEqual(parseFilter('(cn=a*b*c)'), { type: 'substrings', attribute: 'cn', initial: b('a'), any: [b('b')], final: b('c') });
  assert.deepEqual(parseFilter('(!(x>=5))'), { type: 'not', filter: { type: 'greaterOrEqual', attribute: 'x', value: b('5') } });
  assert.deepEqual(parseFilter('(x<=5)'), { type: 'lessOrEqual', attribute: 'x', value: b('5') });
  assert.deepEqual(parseFilter('(sn~=smith)'), { type: 'approx', attribute: 'sn', value: b('smith') });
  assert.deepEqual(parseFilter('(cn:caseExactMatch:=Fred)'), { type: 'extensible', attribute: 'cn', matchingRule: 'caseExactMatch', value: b('Fred'), dnAttributes: false });
  assert.deepEqual(parseFilter('(:dn:2.4.6.8.10:=Dino)'), { type: 'extensible', matchingRule: '2.4.6.8.10', value: b('Dino'), dnAttributes: true });
  assert.deepEqual(parseFilter('(o:dn:=Ace)'), { type: 'extensible', attribute: 'o', value: b('Ace'), dnAttributes: true });
  assert.deepEqual(parseFilter('(&)'), { type: 'and', filters: [] });
  assert.deepEqual(parseFilter('uid=jane'), { type: 'equality', attribute: 'uid', value: b('jane') });
  assert.deepEqual(parseFilter('(cn=Lu\\c4\\8di\\c4\\87)'), { type: 'equality', attribute: 'cn', value: b('Lučić') });
  assert.deepEqual(parseFilter('(bin=\\00\\ff)'), { type: 'equality', attribute: 'bin', value: Buffer.from([0, 0xff]) });
  assert.deepEqual(parseFilter('(cn=Lučić)'), { type: 'equality', attribute: 'cn', value: b('Lučić') });
});

test('Stalwart default filters parse', () => {
  const mailbox = '(|(&(objectClass=inetOrgPerson)(|(mail=?)(mailAlias=?)))(&(objectClass=groupOfNames)(|(mail=?)(mailAlias=?))))';
  assert.equal(filterToString(parseFilter(mailbox)), mailbox);
});

test('print → parse → print is stable, and BER round-trips', () => {
  const inputs = [
    '(&(objectClass=inetOrgPerson)(mail=a\\2ab))',
    '(|(cn=ab*cd*ef)(!(sn>=x))(uid:dn:2.5.13.2:=Jo))',
    '(cn=*)',
    '(cn=\\28\\29\\5c\\2a\\00)',
    '(bin=\\ff\\fe)',
    '(|)',
    '(x=*a)',
  ];
  for (const input of inputs) {
    const f = parseFilter(input);
    assert.equal(filterToString(f), input);
    assert.deepEqual(decodeFilter(new BerReader(ber(f))), f);
  }
});

test('values are data: a hostile value never changes the structure', () => {
  const evil = '*)(uid=*))(|(uid=*';
  const f: Filter = { type: 'equality', attribute: 'mail', value: b(evil) };
  const printed = filterToString(f);
  assert.equal(printed, '(mail=\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a)');
  assert.deepEqual(parseFilter(printed), f);
  assert.equal(escapeFilterValue('a\\b'), 'a\\5cb');
});

test('syntax errors are FilterSyntaxError with a position', () => {
  for (const bad of ['', '(', '(cn=a', '(cn=a))', '(=a)', '(cn~a)', '(cn=a\\2)', '(cn=a\\zz)', '(cn>=a*)', '(&(cn=a)', '(cn=(a)', 'x', '(:=a)', '(cn::=a)']) {
    assert.throws(() => parseFilter(bad), FilterSyntaxError, bad);
  }
});

function nested(depth: number): string {
  return '(!'.repeat(depth - 1) + '(cn=a)' + ')'.repeat(depth - 1);
}

test('string parser enforces the depth cap', () => {
  assert.doesNotThrow(() => parseFilter(nested(32)));
  assert.throws(() => parseFilter(nested(33)), FilterSyntaxError);
  assert.throws(() => parseFilter(nested(5), { maxDepth: 4 }), FilterSyntaxError);
  assert.throws(() => parseFilter(nested(100_000)), FilterSyntaxError);
});

test('BER decoder enforces the depth cap without recursing past it', () => {
  const deep = (depth: number): Buffer => ber(parseFilter(nested(depth), { maxDepth: depth }));
  assert.equal(decodeFilter(new BerReader(deep(32))).type, 'not');
  assert.throws(
    () => decodeFilter(new BerReader(deep(33))),
    (err: unknown) => err instanceof ProtocolError && err.code === 'filterTooDeep',
  );
  assert.doesNotThrow(() => decodeFilter(new BerReader(deep(64)), 64));
  // 100k nested NOTs by hand: a2 <len> ... ; must fail fast, not overflow the stack.
  let inner = Buffer.from('8702636e', 'hex');
  for (let i = 0; i < 10_000; i++) {
    const len = inner.length;
    const head = len < 128 ? Buffer.from([0xa2, len]) : len < 256 ? Buffer.from([0xa2, 0x81, len]) : len < 65536 ? Buffer.from([0xa2, 0x82, len >> 8, len & 255]) : Buffer.from([0xa2, 0x83, len >> 16, (len >> 8) & 255, len & 255]);
    inner = Buffer.concat([head, inner]);
  }
  assert.throws(() => decodeFilter(new BerReader(inner)), ProtocolError);
});

test('BER decoder refuses unknown choices and misordered substrings', () => {
  assert.throws(() => decodeFilter(new BerReader(Buffer.from('aa00', 'hex'))), ProtocolError);
  // final before any
  assert.throws(() => decodeFilter(new BerReader(Buffer.from('a40b 0402636e 3005 820161 810162'.replace(/ /g, ''), 'hex'))), ProtocolError);
  // no substrings at all
  assert.throws(() => decodeFilter(new BerReader(Buffer.from('a406 0402636e 3000'.replace(/ /g, ''), 'hex'))), ProtocolError);
});
