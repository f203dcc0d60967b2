/** Extended operations: WhoAmI and Password Modify here; StartTLS is the connection's (it swaps the socket). */
import { ExtendedOid, ResultCode, whoAmIResponse, type ExtendedRequest } from '../protocol/index.js';
import { identityDn, type OpContext, type Reply } from '../session.js';
import { handlePasswordModify } from './password-modify.js';
import { result } from './results.js';

export async function handleExtended(ctx: OpContext, op: ExtendedRequest): Promise<Reply> {
  switch (op.requestName) {
    case ExtendedOid.whoAmI: {
      const dn = identityDn(ctx.session.identity);
      return { op: whoAmIResponse(dn === '' ? '' : `dn:${dn}`) };
    }
    case ExtendedOid.passwordModify:
      return handlePasswordModify(ctx, op);
    default:
      // RFC 4511 §4.12: an unrecognized request name is a protocolError.
      return result('extendedRequest', ResultCode.protocolError, `unsupported extended operation ${op.requestName}`);
  }
}
