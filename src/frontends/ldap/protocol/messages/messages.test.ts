import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from './message.js';
import type { LdapMessage, ProtocolOp } from './message.js';
import { ProtocolError } from '../errors.js';
import { ResultCode } from '../result-codes.js';
import { parseFilter } from '../filter/parse.js';
import { utf8OrUndefined } from '../values.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const ok = { resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' };

function roundTrip(protocolOp: ProtocolOp, controls: LdapMessage['controls'] = []): void {
  const message: LdapMessage = { messageId: 7, protocolOp, controls };
  const bytes = encodeMessage(message);
  const decoded = decodeMessage(bytes);
  assert.deepEqual(decoded, message, `round trip of ${protocolOp.type}`);
  assert.deepEqual(encodeMessage(decoded), bytes, `re-encoding of ${protocolOp.type}`);
}

const roundTrips: ProtocolOp[] = [
  { type: 'bindRequest', version: 3, name: 'cn=admin,dc=example,dc=org', authentication: { kind: 'simple', password: Buffer.from([0, 0xff, 0x80, 0x61]) } },
  { type: 'bindRequest', version: 3, name: '', authentication: { kind: 'sasl', mechanism: 'EXTERNAL' } },
  { type: 'bindRequest', version: 3, name: '', authentication: { kind: 'sasl', mechanism: 'PLAIN', credentials: b('\0u\0p') } },
  { type: 'bindResponse', ...ok },
  { type: 'bindResponse', resultCode: ResultCode.saslBindInProgress, matchedDN: '', diagnosticMessage: 'more', serverSaslCreds: b('x') },
  { type: 'unbindRequest' },
  {
    type: 'searchRequest', baseObject: 'dc=example,dc=org', scope: 2, derefAliases: 0, sizeLimit: 0, timeLimit: 3600,
    typesOnly: false, filter: parseFilter('(&(objectClass=inetOrgPerson)(|(mail=a\\2ab)(uid=x*y*z)))'), attributes: ['mail', 'memberOf'],
  },
  { type: 'searchResultEntry', objectName: 'uid=jane,dc=example,dc=org', attributes: [{ type: 'mail', values: [b('jane@example.org'), b('j@example.org')] }, { type: 'objectClass', values: [] }] },
  { type: 'searchResultReference', uris: ['ldap://other/dc=example,dc=org'] },
  { type: 'searchResultDone', ...ok },
  { type: 'searchResultDone', resultCode: ResultCode.referral, matchedDN: 'dc=org', diagnosticMessage: '', referral: ['ldap://a/', 'ldap://b/'] },
  { type: 'modifyRequest', object: 'uid=jane,dc=example,dc=org', changes: [{ operation: 2, modification: { type: 'mail', values: [b('x@y')] } }, { operation: 1, modification: { type: 'cn', values: [] } }] },
  { type: 'modifyResponse', resultCode: ResultCode.insufficientAccessRights, matchedDN: '', diagnosticMessage: 'read-only' },
  { type: 'addRequest', entry: 'uid=new,dc=example,dc=org', attributes: [{ type: 'objectClass', values: [b('top'), b('person')] }] },
  { type: 'addResponse', resultCode: ResultCode.unwillingToPerform, matchedDN: '', diagnosticMessage: '' },
  { type: 'delRequest', entry: 'uid=old,dc=example,dc=org' },
  { type: 'delResponse', resultCode: ResultCode.unwillingToPerform, matchedDN: '', diagnosticMessage: '' },
  { type: 'modifyDNRequest', entry: 'uid=a,dc=x', newRdn: 'uid=b', deleteOldRdn: true },
  { type: 'modifyDNRequest', entry: 'uid=a,dc=x', newRdn: 'uid=b', deleteOldRdn: false, newSuperior: 'ou=y,dc=x' },
  { type: 'modifyDNResponse', resultCode: ResultCode.unwillingToPerform, matchedDN: '', diagnosticMessage: '' },
  { type: 'compareRequest', entry: 'uid=a,dc=x', attribute: 'mail', value: b('a@x') },
  { type: 'compareResponse', resultCode: ResultCode.compareTrue, matchedDN: '', diagnosticMessage: '' },
  { type: 'abandonRequest', abandonId: 5 },
  { type: 'extendedRequest', requestName: '1.3.6.1.4.1.4203.1.11.3' },
  { type: 'extendedRequest', requestName: '1.3.6.1.4.1.4203.1.11.1', requestValue: hex('3000') },
  { type: 'extendedResponse', ...ok, responseValue: b('dn:uid=a,dc=x') },
  { type: 'extendedResponse', ...ok, responseName: '1.3.6.1.4.1.1466.20037' },
  { type: 'unknown', tag: 0x79, content: hex('800131') },
];

test('every protocolOp round-trips (decode(encode(x)) = x, and bytes are stable)', () => {
  for (const op of roundTrips) roundTrip(op);
});

test('controls round-trip: criticality default, value optional', () => {
  roundTrip({ type: 'unbindRequest' }, [
    { type: '1.2.840.113556.1.4.319', critical: true, value: hex('30050201640400') },
    { type: '2.16.840.1.113730.3.4.2', critical: false },
  ]);
  roundTrip({ type: 'searchResultEntry', objectName: 'dc=x', attributes: [] }, [{ type: '1.2.3', critical: false, value: b('v') }]);
});

test('decodes the simple bind ldapsearch/ldapts send (cn=admin,dc=example,dc=org / secret, id 1)', () => {
  const bytes = hex('302c0201016027020103041a636e3d61646d696e2c64633d6578616d706c652c64633d6f72678006736563726574');
  const msg = decodeMessage(bytes);
  assert.equal(msg.messageId, 1);
  const op = msg.protocolOp;
  assert.ok(op.type === 'bindRequest' && op.authentication.kind === 'simple');
  assert.equal(op.version, 3);
  assert.equal(op.name, 'cn=admin,dc=example,dc=org');
  assert.equal(utf8OrUndefined(op.authentication.password), 'secret');
  assert.deepEqual(encodeMessage(msg), bytes);
});

test("decodes ldapts's search request with the Stalwart-style filter", () => {
  const bytes = hex(
    '30660201026361041164633d6578616d706c652c64633d6f72670a01020a010002010002010a010100a02ba31c040b6f626a656374436c617373040d696e65744f7267506572736f6ea30b04046d61696c0403612a62301004046d61696c04086d656d6265724f66',
  );
  const msg = decodeMessage(bytes);
  const op = msg.protocolOp;
  assert.ok(op.type === 'searchRequest');
  assert.equal(op.baseObject, 'dc=example,dc=org');
  assert.equal(op.scope, 2);
  assert.equal(op.derefAliases, 0);
  assert.equal(op.timeLimit, 10);
  assert.deepEqual(op.attributes, ['mail', 'memberOf']);
  assert.deepEqual(op.filter, parseFilter('(&(objectClass=inetOrgPerson)(mail=a\\2ab))'));
  assert.deepEqual(encodeMessage(msg), bytes);
});

test('decodes a search with the paged-results control, and substrings/not/extensible filters', () => {
  const paged = decodeMessage(hex('30560201036329041164633d6578616d706c652c64633d6f72670a01020a010002010002010a01010087037569643000a02630240416312e322e3834302e3131333535362e312e342e333139010100040730050201640400'));
  assert.deepEqual(paged.controls, [{ type: '1.2.840.113556.1.4.319', critical: false, value: hex('30050201640400') }]);
  const sub = decodeMessage(hex('3054020106634f04000a01000a010002010002010a010100a137a4120402636e300c800261628102636482026566a209a5070402736e040178a9168108322e352e31332e32820375696483024a6f8401ff300304012a'));
  assert.ok(sub.protocolOp.type === 'searchRequest');
  assert.deepEqual(sub.protocolOp.filter, parseFilter('(|(cn=ab*cd*ef)(!(sn>=x))(uid:dn:2.5.13.2:=Jo))'));
});

test('decodes WhoAmI and unbind as sent by ldapts', () => {
  const who = decodeMessage(hex('301e02010477198017312e332e362e312e342e312e343230332e312e31312e33'));
  assert.deepEqual(who.protocolOp, { type: 'extendedRequest', requestName: '1.3.6.1.4.1.4203.1.11.3' });
  assert.deepEqual(decodeMessage(hex('30050201054200')), { messageId: 5, protocolOp: { type: 'unbindRequest' }, controls: [] });
});

test('known response bytes: bindResponse success for id 1', () => {
  const bytes = encodeMessage({ messageId: 1, protocolOp: { type: 'bindResponse', ...ok }, controls: [] });
  assert.deepEqual(bytes, hex('300c 020101 6107 0a0100 0400 0400'));
});

test('SASL and reserved auth choices are surfaced, not refused by the codec', () => {
  const sasl = decodeMessage(hex('3016 020102 6011 020103 0400 a30a 0408 4558 5445 524e 414c'));
  assert.ok(sasl.protocolOp.type === 'bindRequest');
  assert.deepEqual(sasl.protocolOp.authentication, { kind: 'sasl', mechanism: 'EXTERNAL' });
  const reserved = decodeMessage(hex('300c 020102 6007 020103 0400 8100'));
  assert.ok(reserved.protocolOp.type === 'bindRequest');
  assert.deepEqual(reserved.protocolOp.authentication, { kind: 'unknown', tag: 0x81 });
});

test('unknown protocolOp tags decode to { type: "unknown" } with the messageId', () => {
  const msg = decodeMessage(hex('3005 02010a 7a00'));
  assert.equal(msg.messageId, 10);
  assert.deepEqual(msg.protocolOp, { type: 'unknown', tag: 0x7a, content: Buffer.alloc(0) });
});

function decodeError(bytes: Buffer): ProtocolError {
  try {
    decodeMessage(bytes);
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `not a ProtocolError: ${String(err)}`);
    return err;
  }
  assert.fail('decoded without error');
}

test('malformed messages fail with ProtocolError, carrying messageId once known', () => {
  assert.equal(decodeError(hex('')).code, 'truncated');
  assert.equal(decodeError(hex('3000')).code, 'truncated');
  assert.equal(decodeError(hex('3003 020101')).code, 'truncated');
  assert.equal(decodeError(hex('3006 020101 4200')).code, 'truncated');
  assert.equal(decodeError(hex('3005 020101 4200 3000')).code, 'malformed'); // trailing bytes
  assert.equal(decodeError(hex('3005 0201ff 4200')).code, 'integerOverflow'); // negative id
  const bad = decodeError(hex('3009 020109 6304 0400 0a01'));
  assert.equal(bad.messageId, 9);
  assert.equal(bad.resultCode, ResultCode.protocolError);
  // scope 7 is not an enumeration value
  const scope = decodeError(hex('3017 020104 6312 0400 0a0107 0a0100 020100 020100 010100 8701 61'));
  assert.equal(scope.code, 'malformed');
});

test('empty simple password decodes as an empty buffer (the server must refuse it)', () => {
  const msg = decodeMessage(hex('300c 020101 6007 020103 0400 8000'));
  assert.ok(msg.protocolOp.type === 'bindRequest' && msg.protocolOp.authentication.kind === 'simple');
  assert.equal(msg.protocolOp.authentication.password.length, 0);
});
