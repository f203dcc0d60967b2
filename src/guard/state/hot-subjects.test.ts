import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HotSubjects } from './hot-subjects.js';

describe('hot subjects', () => {
  it('is hot until the last failure stops counting', () => {
    const hot = new HotSubjects(10);
    assert.equal(hot.mark('ip:a', 1000, 0), true);
    assert.equal(hot.mark('ip:a', 900, 0), false, 'an earlier end changes nothing');
    assert.equal(hot.quiet(['ip:a', 'acct:x'], 999), false);
    assert.equal(hot.quiet(['acct:x'], 999), true);
    assert.equal(hot.quiet(['ip:a'], 1000), true);
  });

  it('past its cap, forgets the oldest but answers "maybe hot" for everything until it would have cooled', () => {
    const hot = new HotSubjects(2);
    hot.mark('ip:a', 5000, 0);
    hot.mark('ip:b', 6000, 0);
    hot.mark('ip:c', 7000, 0);
    assert.equal(hot.quiet(['ip:z'], 4999), false, 'ip:a was forgotten while it still counted');
    assert.equal(hot.quiet(['ip:z'], 5000), true);
    assert.equal(hot.quiet(['ip:a'], 5000), true);
    assert.equal(hot.quiet(['ip:c'], 5000), false);
  });

  it('travels as a list, the "everything" mark included', () => {
    const from = new HotSubjects(1);
    from.mark('ip:a', 5000, 0);
    from.mark('ip:b', 6000, 0);
    const to = new HotSubjects(10);
    to.load(JSON.parse(JSON.stringify(from.list(0))), 0);
    assert.equal(to.quiet(['ip:z'], 4000), false);
    assert.equal(to.quiet(['ip:b'], 5500), false);
    assert.equal(to.quiet(['ip:z'], 5500), true);
  });
});
