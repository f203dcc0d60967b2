import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../messages/message.js';
import { ExtendedOid, noticeOfDisconnection, startTlsResponse, whoAmIResponse } from './oids.js';
import {
  decodePasswordModifyRequest,
  decodePasswordModifyResponse,
  encodePasswordModifyRequest,
  passwordModifyResponse,
} from './password-modify.js';
import { decodePagedResults, encodePagedResults, findControl, PAGED_RESULTS_OID } from '../controls/paged-results.js';
import { ProtocolError } from '../errors.js';
import { ResultCode, resultCodeName } from '../result-codes.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ok = { resultCode: ResultCode.success, matchedDN: '', diagnosticMessage: '' };

test('password modify request: all fields, none, binary passwords', () => {
  const value = encodePasswordModifyRequest({ userIdentity: 'uid=a,dc=x', oldPasswd: Buffer.from([0xff, 0]), newPasswd: Buffer.from('n€w') });
  assert.deepEqual(decodePasswordModifyRequest(value), { userIdentity: 'uid=a,dc=x', oldPasswd: Buffer.from([0xff, 0]), newPasswd: Buffer.from('n€w') });
  assert.deepEqual(decodePasswordModifyRequest(undefined), {});
  assert.deepEqual(decodePasswordModifyRequest(hex('3000')), {});
  assert.deepEqual(decodePasswordModifyRequest(hex('3004 82027071')), { newPasswd: Buffer.from('pq') });
  assert.throws(() => decodePasswordModifyRequest(hex('3006 820170 800171')), ProtocolError); // out of order
  assert.throws(() => decodePasswordModifyRequest(hex('3003 830100')), ProtocolError);
  assert.throws(() => decodePasswordModifyRequest(hex('3005 8001')), ProtocolError);
});

test('password modify response carries genPasswd and no responseName', () => {
  const response = passwordModifyResponse(ok, 'generated');
  assert.equal(response.responseName, undefined);
  const msg = decodeMessage(encodeMessage({ messageId: 3, protocolOp: response, controls: [] }));
  assert.ok(msg.protocolOp.type === 'extendedResponse');
  assert.deepEqual(decodePasswordModifyResponse(msg.protocolOp.responseValue), Buffer.from('generated'));
  assert.equal(passwordModifyResponse(ok).responseValue, undefined);
});

test('WhoAmI and StartTLS responses', () => {
  const who = encodeMessage({ messageId: 4, protocolOp: whoAmIResponse('dn:uid=a,dc=x'), controls: [] });
  assert.deepEqual(who, hex('301b 020104 7816 0a0100 0400 0400 8b0d 646e3a7569643d612c64633d78'));
  const tls = startTlsResponse();
  assert.equal(tls.responseName, ExtendedOid.startTls);
});

test('notice of disconnection is messageId 0 with its OID', () => {
  const bytes = encodeMessage(noticeOfDisconnection(ResultCode.protocolError, 'bad PDU'));
  const msg = decodeMessage(bytes);
  assert.equal(msg.messageId, 0);
  assert.ok(msg.protocolOp.type === 'extendedResponse');
  assert.equal(msg.protocolOp.resultCode, 2);
  assert.equal(msg.protocolOp.responseName, '1.3.6.1.4.1.1466.20036');
});

test('paged results control: decode what ldapts sends, encode a response', () => {
  const control = { type: PAGED_RESULTS_OID, critical: false, value: hex('30050201640400') };
  assert.deepEqual(decodePagedResults(control), { size: 100, cookie: Buffer.alloc(0) });
  const response = encodePagedResults({ size: 0, cookie: Buffer.from('next') });
  assert.deepEqual(decodePagedResults(response), { size: 0, cookie: Buffer.from('next') });
  assert.equal(findControl([response], PAGED_RESULTS_OID), response);
  assert.throws(() => decodePagedResults({ type: PAGED_RESULTS_OID, critical: true }), ProtocolError);
  assert.throws(() => decodePagedResults({ ...control, value: hex('3003 0201ff') }), ProtocolError);
});

test('result code names', () => {
  assert.equal(ResultCode.invalidCredentials, 49);
  assert.equal(resultCodeName(53), 'unwillingToPerform');
  assert.equal(resultCodeName(999), 'unknown(999)');
});
