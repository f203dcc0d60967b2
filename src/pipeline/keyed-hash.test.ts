import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { KeyedHash } from './keyed-hash.js';

test('cache keys and fingerprints are HMAC-SHA256 under the server key, for short and long keys', () => {
  for (const key of [Buffer.alloc(32, 7), Buffer.from('k'.repeat(64)), Buffer.from('long key '.repeat(20))]) {
    const keyed = new KeyedHash(key);
    for (const secret of ['', 'p@ss wörd', 'x'.repeat(5000)]) {
      const mac = (m: string) => createHmac('sha256', key).update(m, 'utf8');
      assert.equal(keyed.cacheKey(['alice', 'imap', 'user'], secret), mac(`cache\0alice\0imap\0user\0${secret}`).digest('base64url'));
      assert.equal(keyed.fingerprint('Alice', secret), mac(`fp\0alice\0${secret}`).digest().subarray(0, 8).toString('hex'));
    }
  }
});
