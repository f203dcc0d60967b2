import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessageWithOp, encodeSearchResultEntryMessage, encodeSearchResultEntryOp } from './entry-encoder.js';
import { searchResultEntryCodec } from './search-result.js';
import { decodeMessage } from './message.js';
import { BerWriter } from '../ber/writer.js';
import { Tag } from '../ber/tags.js';
import type { PartialAttribute } from './attributes.js';

/** The same message through the generic writer, as the reference encoding. */
function generic(messageId: number, objectName: string, attributes: PartialAttribute[]): Buffer {
  const w = new BerWriter(8);
  w.startSequence(Tag.sequence);
  w.writeInteger(messageId);
  searchResultEntryCodec.encode(w, { type: 'searchResultEntry', objectName, attributes });
  w.endSequence();
  return w.toBuffer();
}

test('fast entry encoder matches the generic writer byte for byte', () => {
  const cases: Array<[number, string, PartialAttribute[]]> = [
    [1, '', []],
    [127, 'uid=jane,dc=example,dc=org', [{ type: 'mail', values: ['jane@example.org', Buffer.from('j@example.org')] }]],
    [128, 'cn=Lučić', [{ type: 'cn', values: ['Lučić'] }, { type: 'empty', values: [] }]],
    [0x7fffffff, 'cn=big', [{ type: 'jpegPhoto', values: [Buffer.alloc(70_000, 1)] }, { type: 'member', values: Array.from({ length: 500 }, (_, i) => `uid=u${i},dc=x`) }]],
    [300, 'cn=x'.repeat(40), [{ type: 'a'.repeat(200), values: ['v'.repeat(127), 'w'.repeat(128), 'x'.repeat(255), 'y'.repeat(256)] }]],
  ];
  for (const [id, dn, attributes] of cases) {
    const fast = encodeSearchResultEntryMessage(id, dn, attributes);
    assert.deepEqual(fast, generic(id, dn, attributes), `entry ${dn.slice(0, 20)}`);
    const decoded = decodeMessage(fast);
    assert.equal(decoded.messageId, id);
    assert.ok(decoded.protocolOp.type === 'searchResultEntry');
    assert.equal(decoded.protocolOp.objectName, dn);
  }
});

test('a kept protocolOp sent with any message id equals the whole encoding', () => {
  const cases: Array<[string, PartialAttribute[]]> = [
    ['', []],
    ['uid=jane,dc=example,dc=org', [{ type: 'mail', values: ['jane@example.org', Buffer.from('j@example.org')] }]],
    ['cn=big', [{ type: 'member', values: Array.from({ length: 500 }, (_, i) => `uid=u${i},dc=x`) }]],
  ];
  for (const [dn, attributes] of cases) {
    const op = encodeSearchResultEntryOp(dn, attributes);
    for (const id of [0, 1, 127, 128, 255, 256, 65_535, 0x7fffffff]) {
      assert.deepEqual(encodeMessageWithOp(id, op), encodeSearchResultEntryMessage(id, dn, attributes), `id ${id}, ${dn.slice(0, 20)}`);
    }
  }
});
