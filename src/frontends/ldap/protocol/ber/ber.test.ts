import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerReader } from './reader.js';
import { BerWriter, integerSize, lengthOfLength } from './writer.js';
import { Tag } from './tags.js';
import { ProtocolError } from '../errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `not a ProtocolError: ${String(err)}`);
    return err.code;
  }
  return 'no error';
}

test('integers round-trip at the byte boundaries, minimally encoded', () => {
  const values = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, 0x7fffffff, -0x80000000, 2 ** 40, 2 ** 47, -(2 ** 47) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  for (const v of values) {
    const w = new BerWriter(4);
    w.writeInteger(v);
    const buf = w.toBuffer();
    assert.equal(buf[1], integerSize(v), `size of ${v}`);
    assert.equal(new BerReader(buf).readInteger(), v);
  }
  assert.deepEqual(encodeInt(128), hex('02020080'));
  assert.deepEqual(encodeInt(-1), hex('0201ff'));
});

function encodeInt(v: number): Buffer {
  const w = new BerWriter();
  w.writeInteger(v);
  return w.toBuffer();
}

test('integers beyond the safe range or 7 bytes are refused', () => {
  assert.equal(code(() => new BerReader(hex('0208 0100000000000000')).readInteger()), 'integerOverflow');
  assert.equal(code(() => new BerReader(hex('0207 7fffffffffffff')).readInteger()), 'integerOverflow');
  assert.equal(code(() => new BerReader(hex('0200')).readInteger()), 'malformed');
  assert.equal(new BerReader(hex('0207 1fffffffffffff')).readInteger(), Number.MAX_SAFE_INTEGER);
});

test('long-form lengths: written minimally, read in all forms', () => {
  for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]) {
    const w = new BerWriter(2);
    w.startSequence();
    w.writeOctetString(Buffer.alloc(size, 7));
    w.endSequence();
    const buf = w.toBuffer();
    const r = new BerReader(buf).readConstructed();
    assert.equal(r.readOctetString().length, size);
    assert.equal(buf.length, 1 + lengthOfLength(size + 1 + lengthOfLength(size)) + 1 + lengthOfLength(size) + size);
  }
  // Non-minimal long form is valid BER and must be accepted.
  assert.deepEqual(new BerReader(hex('04 82 0002 6869')).readOctetString(), Buffer.from('hi'));
});

test('indefinite, oversized and truncated lengths fail typed', () => {
  assert.equal(code(() => new BerReader(hex('3080 0000')).readConstructed()), 'indefiniteLength');
  assert.equal(code(() => new BerReader(hex('3085 0000000001')).readConstructed()), 'lengthTooLarge');
  assert.equal(code(() => new BerReader(hex('3084 7fffffff 00')).readConstructed()), 'truncated');
  assert.equal(code(() => new BerReader(hex('0405 6869')).readOctetString()), 'truncated');
  assert.equal(code(() => new BerReader(hex('0482 01')).readOctetString()), 'truncated');
  assert.equal(code(() => new BerReader(hex('04')).readOctetString()), 'truncated');
  assert.equal(code(() => new BerReader(hex('')).readTag()), 'truncated');
  assert.equal(code(() => new BerReader(hex('1f8101 00')).readTag()), 'unsupportedTag');
  assert.equal(code(() => new BerReader(hex('0401 00')).readInteger()), 'unexpectedTag');
  assert.equal(code(() => new BerReader(hex('0102 ffff')).readBoolean()), 'malformed');
});

test('child readers cannot read past their element', () => {
  const r = new BerReader(hex('3003 040100 0401 41'));
  const child = r.readConstructed();
  assert.deepEqual(child.readOctetString(), Buffer.from([0]));
  assert.equal(child.hasMore(), false);
  assert.equal(code(() => child.readOctetString()), 'truncated');
  assert.equal(r.readString(), 'A');
});

test('octet strings are zero-copy views of the input', () => {
  const buf = hex('0403 616263');
  const value = new BerReader(buf).readOctetString();
  assert.equal(value.buffer, buf.buffer);
});

test('writer: booleans, null, utf-8 strings, nested sequences that need shifting', () => {
  const w = new BerWriter(1);
  w.startSequence(Tag.sequence);
  w.writeBoolean(true);
  w.writeNull();
  w.writeOctetString('é');
  w.startSequence(Tag.set);
  w.writeOctetString('x'.repeat(300));
  w.endSequence();
  w.endSequence();
  const r = new BerReader(w.toBuffer()).readConstructed();
  assert.equal(r.readBoolean(), true);
  r.readNull();
  assert.equal(r.readString(), 'é');
  assert.equal(r.readConstructed(Tag.set).readString(), 'x'.repeat(300));
  assert.equal(r.hasMore(), false);
});
