/** The directory is a view of the identity store: changes go through Portcullis (CLI, admin API), never LDAP writes. */
import { ResultCode } from '../protocol/index.js';
import type { Reply } from '../session.js';
import { result, type AnswerableRequest } from './results.js';

export function refuseWrite(request: AnswerableRequest): Promise<Reply> {
  return Promise.resolve(result(request, ResultCode.unwillingToPerform, 'the directory is read-only; manage identities through Portcullis'));
}
