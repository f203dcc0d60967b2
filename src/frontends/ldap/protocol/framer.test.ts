import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LdapFramer } from './framer.js';
import { ProtocolError } from './errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const BIND = hex('302c0201016027020103041a636e3d61646d696e2c64633d6578616d706c652c64633d6f72678006736563726574');
const UNBIND = hex('30050201054200');
// A message with a long-form (2-byte) length: an octet string of 300 bytes inside.
const LONG = Buffer.concat([hex('3082 0134 020102 4a82012d'), Buffer.alloc(301, 0x61)]);
const STREAM = Buffer.concat([BIND, UNBIND, LONG, UNBIND]);
const EXPECTED = [BIND, UNBIND, LONG, UNBIND];

function drain(framer: LdapFramer): Buffer[] {
  const out: Buffer[] = [];
  for (let m = framer.next(); m; m = framer.next()) out.push(m);
  return out;
}

test('whole stream in one chunk yields every message, zero-copy', () => {
  const framer = new LdapFramer();
  framer.push(STREAM);
  const out = drain(framer);
  assert.deepEqual(out, EXPECTED);
  assert.equal(out[0]?.buffer, STREAM.buffer);
  assert.equal(framer.bufferedBytes, 0);
});

test('split in two at every byte position', () => {
  for (let i = 0; i <= STREAM.length; i++) {
    const framer = new LdapFramer();
    const out: Buffer[] = [];
    framer.push(STREAM.subarray(0, i));
    out.push(...drain(framer));
    framer.push(STREAM.subarray(i));
    out.push(...drain(framer));
    assert.deepEqual(out, EXPECTED, `split at ${i}`);
    assert.equal(framer.bufferedBytes, 0);
  }
});

test('one byte at a time', () => {
  const framer = new LdapFramer();
  const out: Buffer[] = [];
  for (let i = 0; i < STREAM.length; i++) {
    framer.push(STREAM.subarray(i, i + 1));
    out.push(...drain(framer));
  }
  assert.deepEqual(out, EXPECTED);
});

test('split in three at every pair of positions (bind + unbind)', () => {
  const stream = Buffer.concat([BIND, UNBIND]);
  for (let i = 0; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j++) {
      const framer = new LdapFramer();
      const out: Buffer[] = [];
      for (const part of [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]) {
        framer.push(part);
        out.push(...drain(framer));
      }
      assert.deepEqual(out, [BIND, UNBIND], `split at ${i},${j}`);
    }
  }
});

function framingError(bytes: Buffer, maxMessageSize?: number): string {
  const framer = new LdapFramer(maxMessageSize === undefined ? {} : { maxMessageSize });
  framer.push(bytes);
  try {
    drain(framer);
  } catch (err) {
    assert.ok(err instanceof ProtocolError);
    return err.code;
  }
  return 'no error';
}

test('oversize is refused from the header alone, before the body arrives', () => {
  // Claims 2 GB; only the 6 header bytes are present.
  assert.equal(framingError(hex('3084 7fffffff')), 'messageTooLarge');
  assert.equal(framingError(hex('3085 0100000000')), 'messageTooLarge');
  assert.equal(framingError(LONG, 100), 'messageTooLarge');
  assert.equal(framingError(LONG, LONG.length), 'no error');
  assert.equal(framingError(LONG, LONG.length - 1), 'messageTooLarge');
});

test('bad framing fails typed; incomplete headers wait', () => {
  assert.equal(framingError(hex('31 03 020101')), 'unexpectedTag');
  assert.equal(framingError(hex('3080 020101 0000')), 'indefiniteLength');
  const framer = new LdapFramer();
  framer.push(hex('3082 01'));
  assert.equal(framer.next(), undefined);
  framer.push(hex('00'));
  assert.equal(framer.next(), undefined);
  assert.equal(framer.bufferedBytes, 4);
});
