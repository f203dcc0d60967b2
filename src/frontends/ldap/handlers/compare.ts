/** Compare (RFC 4511 §4.10): under the same access rules as search; userPassword is never held, so never comparable. */
import { viewerFor } from '../access.js';
import { DirectoryError } from '../directory/directory.js';
import { normalizeFor } from '../directory/matching.js';
import { attributeKey, attributeType, syntaxOf } from '../directory/schema.js';
import { Dn, ResultCode, valueToString, type CompareRequest } from '../protocol/index.js';
import type { OpContext, Reply } from '../session.js';
import { result } from './results.js';

export async function handleCompare(ctx: OpContext, op: CompareRequest): Promise<Reply> {
  const { session } = ctx;
  const directory = session.server.directory;
  let dn: Dn;
  try {
    dn = Dn.parse(op.entry);
  } catch {
    return result('compareRequest', ResultCode.invalidDNSyntax, 'invalid DN');
  }
  const viewer = viewerFor(session.identity, session.server.app.config.ldap);
  if (viewer.sees === 'public' && !directory.isPublic(dn, 0)) {
    return result('compareRequest', ResultCode.insufficientAccessRights, 'bind as an account that may read the directory');
  }
  const key = attributeKey(op.attribute);
  try {
    const entry = await directory.entryAt(dn, { memberOf: key === 'memberof', member: key === 'member' }, viewer);
    const attribute = entry.attributes.get(key);
    if (!attribute) {
      const code = attributeType(op.attribute) ? ResultCode.noSuchAttribute : ResultCode.undefinedAttributeType;
      return result('compareRequest', code, 'no such attribute');
    }
    const syntax = syntaxOf(op.attribute);
    const wanted = normalizeFor(syntax, valueToString(op.value));
    if (wanted === undefined) return result('compareRequest', ResultCode.invalidAttributeSyntax, 'invalid value');
    const equal = attribute.values.some((v) => normalizeFor(syntax, v) === wanted);
    return result('compareRequest', equal ? ResultCode.compareTrue : ResultCode.compareFalse);
  } catch (err) {
    if (err instanceof DirectoryError) return result('compareRequest', err.resultCode, err.message, err.matchedDN);
    throw err;
  }
}
