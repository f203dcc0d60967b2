/** The LDAP requests both LDAP benches send: a simple bind and Stalwart's filterMailbox search. */
import type { ProtocolOp } from '../../src/frontends/ldap/protocol/index.js';

export const BENCH_BASE = 'dc=example,dc=org';
export const BENCH_PASSWORD = 'bench password 1';

export const bindRequest = (dn: string, password = BENCH_PASSWORD): ProtocolOp => ({
  type: 'bindRequest',
  version: 3,
  name: dn,
  authentication: { kind: 'simple', password: Buffer.from(password) },
});

const eq = (attribute: string, value: string) => ({ type: 'equality' as const, attribute, value: Buffer.from(value) });

/** filterMailbox with the address filled in, as a filter AST (what Stalwart's string parses to). */
export function mailboxSearch(address: string, base = BENCH_BASE): ProtocolOp {
  const either = { type: 'or' as const, filters: [eq('mail', address), eq('mailAlias', address)] };
  const filter = {
    type: 'or' as const,
    filters: [
      { type: 'and' as const, filters: [eq('objectClass', 'inetOrgPerson'), either] },
      { type: 'and' as const, filters: [eq('objectClass', 'groupOfNames'), either] },
    ],
  };
  return { type: 'searchRequest', baseObject: base, scope: 2, derefAliases: 0, sizeLimit: 0, timeLimit: 0, typesOnly: false, filter, attributes: ['objectclass', 'mail', 'mailalias', 'memberof', 'pwdchangetime'] };
}
