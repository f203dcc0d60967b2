/** Which handler answers each request, and which controls each understands. */
import { handleBind } from './handlers/bind.js';
import { handleCompare } from './handlers/compare.js';
import { handleExtended } from './handlers/extended.js';
import type { AnswerableRequest } from './handlers/results.js';
import { handleSearch } from './handlers/search.js';
import { refuseWrite } from './handlers/writes.js';
import { PAGED_RESULTS_OID, type ProtocolOp } from './protocol/index.js';
import type { OpContext, Reply } from './session.js';

/** ManageDsaIT: we hold no referrals, so honouring it changes nothing. */
const MANAGE_DSA_IT = '2.16.840.1.113730.3.4.2';

export const dispatchTable = {
  supportsControl(request: AnswerableRequest, oid: string): boolean {
    return oid === MANAGE_DSA_IT || (request === 'searchRequest' && oid === PAGED_RESULTS_OID);
  },

  handle(ctx: OpContext, op: ProtocolOp): Promise<Reply | null> {
    switch (op.type) {
      case 'bindRequest':
        return handleBind(ctx, op);
      case 'searchRequest':
        return handleSearch(ctx, op);
      case 'compareRequest':
        return handleCompare(ctx, op);
      case 'extendedRequest':
        return handleExtended(ctx, op);
      case 'addRequest':
      case 'delRequest':
      case 'modifyRequest':
      case 'modifyDNRequest':
        return refuseWrite(op.type);
      default:
        throw new Error(`no handler for ${op.type}`);
    }
  },
};
