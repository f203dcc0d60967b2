import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LastUseCoalescer } from './last-use-coalescer.js';

const use = (ms: number, protocol = 'imap', ip: string | null = '192.0.2.1') => ({ at: new Date(ms), protocol, ip });

describe('LastUseCoalescer', () => {
  it('writes the first use, then at most once per window while protocol and address stay', () => {
    const c = new LastUseCoalescer(60_000);
    assert.equal(c.due('a', use(0)), true);
    assert.equal(c.due('a', use(1_000)), false);
    assert.equal(c.due('a', use(59_999)), false);
    assert.equal(c.due('a', use(60_000)), true);
    assert.equal(c.due('a', use(60_001)), false);
    assert.equal(c.due('b', use(60_002)), true, 'each app password has its own window');
  });

  it('writes at once when the protocol or the address changes', () => {
    const c = new LastUseCoalescer(60_000);
    assert.equal(c.due('a', use(0, 'imap')), true);
    assert.equal(c.due('a', use(1, 'smtp')), true);
    assert.equal(c.due('a', use(2, 'smtp', '198.51.100.9')), true);
    assert.equal(c.due('a', use(3, 'smtp', null)), true);
    assert.equal(c.due('a', use(4, 'smtp', null)), false);
  });

  it('writes again after a failed write, and when the clock went back', () => {
    const c = new LastUseCoalescer(60_000);
    assert.equal(c.due('a', use(10_000)), true);
    c.failed('a');
    assert.equal(c.due('a', use(10_001)), true);
    assert.equal(c.due('a', use(5_000)), true);
  });

  it('stays bounded and forgets what is past the window', () => {
    const c = new LastUseCoalescer(1_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) assert.equal(c.due(id, use(0)), true);
    assert.ok(c.size <= 3);
    c.due('e', use(5_000));
    assert.equal(c.size, 1);
  });
});
