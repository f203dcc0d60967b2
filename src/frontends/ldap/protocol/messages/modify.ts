// ModifyRequest / ModifyResponse (RFC 4511 §4.6): decoded so the server can refuse it properly.

import { OpTag, Tag } from '../ber/tags.js';
import { ProtocolError } from '../errors.js';
import type { OpCodec } from './codec.js';
import { readPartialAttribute, writePartialAttribute } from './attributes.js';
import type { PartialAttribute } from './attributes.js';
import { plainResultCodec } from './result.js';
import type { LdapResult } from './result.js';

/** add 0, delete 1, replace 2, increment 3 (RFC 4525). */
export const ModifyOperation = { add: 0, delete: 1, replace: 2, increment: 3 } as const;
export type ModifyOperation = (typeof ModifyOperation)[keyof typeof ModifyOperation];

export interface ModifyChange {
  operation: ModifyOperation;
  modification: PartialAttribute;
}

export interface ModifyRequest {
  type: 'modifyRequest';
  object: string;
  changes: ModifyChange[];
}

export type ModifyResponse = LdapResult & { type: 'modifyResponse' };

export const modifyRequestCodec: OpCodec<ModifyRequest> = {
  tag: OpTag.modifyRequest,
  type: 'modifyRequest',
  decode(r) {
    const seq = r.readConstructed(OpTag.modifyRequest);
    const object = seq.readString();
    const list = seq.readConstructed(Tag.sequence);
    const changes: ModifyChange[] = [];
    while (list.hasMore()) {
      const change = list.readConstructed(Tag.sequence);
      const operation = change.readEnumerated();
      if (operation < 0 || operation > 3) throw new ProtocolError('malformed', `invalid modify operation ${operation}`);
      changes.push({ operation: operation as ModifyOperation, modification: readPartialAttribute(change) });
    }
    return { type: 'modifyRequest', object, changes };
  },
  encode(w, op) {
    w.startSequence(OpTag.modifyRequest);
    w.writeOctetString(op.object);
    w.startSequence(Tag.sequence);
    for (const change of op.changes) {
      w.startSequence(Tag.sequence);
      w.writeEnumerated(change.operation);
      writePartialAttribute(w, change.modification);
      w.endSequence();
    }
    w.endSequence();
    w.endSequence();
  },
};

export const modifyResponseCodec = plainResultCodec('modifyResponse', OpTag.modifyResponse);
