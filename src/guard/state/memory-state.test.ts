import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryState } from './memory-state.js';

const fail = (subject: string) => ({ subject, add: [{ set: 'fail' as const, member: 'x', retainMs: 60_000 }] });
const has = (s: MemoryState, subject: string) => s.observeOne({ subject, count: [{ set: 'fail', sinceMs: 0 }] }, 1).counts[0] === 1;

describe('memory state LRU', () => {
  it('keeps a subject that was touched again, evicting the one least recently used', () => {
    const s = new MemoryState({ maxSubjects: 3, maxMembers: 10 });
    for (const name of ['a', 'b', 'c']) s.observeOne(fail(name), 1);
    s.observeOne(fail('a'), 1); // a is now the newest
    s.observeOne(fail('c'), 1);
    s.observeOne(fail('c'), 1); // touching the newest again keeps the order
    s.observeOne(fail('d'), 1);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => has(s, n)), [true, false, true, true]);
  });

  it('re-creates a forgotten subject at the end of the order', () => {
    const s = new MemoryState({ maxSubjects: 2, maxMembers: 10 });
    s.observeOne(fail('a'), 1);
    s.observeOne(fail('b'), 1);
    s.forgetSync(['b']);
    s.observeOne(fail('b'), 1);
    s.observeOne(fail('c'), 1);
    assert.deepEqual(['a', 'b', 'c'].map((n) => has(s, n)), [false, true, true]);
  });
});
