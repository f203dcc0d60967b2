import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonExact, quoteBigIntegers, toBigInt } from './big-json.js';

test('u64 integers survive exactly; safe numbers, floats and strings are untouched', () => {
  const text = '{"a":18446744073709551615,"b":-9223372036854775808,"c":42,"d":1.5e300,"e":"18446744073709551615","f":[9007199254740993,9007199254740991]}';
  const v = parseJsonExact(text) as Record<string, unknown>;
  assert.equal(toBigInt(v['a']), 18446744073709551615n);
  assert.equal(toBigInt(v['b']), -9223372036854775808n);
  assert.equal(v['c'], 42);
  assert.equal(v['d'], 1.5e300);
  assert.equal(v['e'], '18446744073709551615');
  assert.deepEqual(v['f'], ['9007199254740993', 9007199254740991]);
});

test('digits inside strings, escaped quotes and keys are never rewritten', () => {
  const text = '{"k\\"12345678901234567890":"x\\\\\\"99999999999999999999","n":12345678901234567890}';
  assert.equal(quoteBigIntegers(text), '{"k\\"12345678901234567890":"x\\\\\\"99999999999999999999","n":"12345678901234567890"}');
  assert.equal((parseJsonExact(text) as Record<string, unknown>)['n'], '12345678901234567890');
});

test('invalid JSON still throws, whatever was quoted', () => {
  assert.throws(() => parseJsonExact('{"a": 123456789012345678901'), SyntaxError);
  assert.throws(() => parseJsonExact('{"a": "unterminated'), SyntaxError);
  assert.equal(quoteBigIntegers('{"a":1}'), '{"a":1}');
});

test('toBigInt refuses what is not an exact integer', () => {
  assert.equal(toBigInt(1.5), null);
  assert.equal(toBigInt('12a'), null);
  assert.equal(toBigInt(2 ** 60), null, 'an unsafe number already lost precision');
});
