// Fuzzing framer + decoder: random bytes and mutated valid PDUs must only ever fail typed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LdapFramer } from './framer.js';
import { decodeMessage, encodeMessage } from './messages/message.js';
import type { ProtocolOp } from './messages/message.js';
import { LdapCodecError } from './errors.js';
import { parseFilter } from './filter/parse.js';
import { decodePagedResults } from './controls/paged-results.js';
import { decodePasswordModifyRequest } from './extended/password-modify.js';
import { Dn } from './dn/dn.js';

const ITERATIONS = 20_000;
const MAX = 64 * 1024;

/** Deterministic PRNG (mulberry32) so a failure can be replayed from the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ok = { resultCode: 0, matchedDN: '', diagnosticMessage: '' };
const seeds: ProtocolOp[] = [
  { type: 'bindRequest', version: 3, name: 'cn=admin,dc=example,dc=org', authentication: { kind: 'simple', password: Buffer.from('secret') } },
  { type: 'bindRequest', version: 3, name: '', authentication: { kind: 'sasl', mechanism: 'PLAIN', credentials: Buffer.from('\0a\0b') } },
  {
    type: 'searchRequest', baseObject: 'dc=example,dc=org', scope: 2, derefAliases: 0, sizeLimit: 10, timeLimit: 0, typesOnly: false,
    filter: parseFilter('(|(&(objectClass=inetOrgPerson)(|(mail=a*b*c)(!(mailAlias>=x))))(cn:dn:1.2:=v)(uid~=q)(sn<=z)(x=*))'), attributes: ['mail', '*'],
  },
  { type: 'searchResultEntry', objectName: 'uid=a,dc=x', attributes: [{ type: 'mail', values: [Buffer.from('a@x')] }] },
  { type: 'modifyRequest', object: 'uid=a', changes: [{ operation: 0, modification: { type: 'cn', values: [Buffer.from('x')] } }] },
  { type: 'addRequest', entry: 'uid=a', attributes: [{ type: 'cn', values: [Buffer.from('x')] }] },
  { type: 'modifyDNRequest', entry: 'uid=a', newRdn: 'uid=b', deleteOldRdn: true, newSuperior: 'dc=y' },
  { type: 'compareRequest', entry: 'uid=a', attribute: 'cn', value: Buffer.from('x') },
  { type: 'extendedRequest', requestName: '1.3.6.1.4.1.4203.1.11.1', requestValue: Buffer.from('3006800161820162', 'hex') },
  { type: 'extendedResponse', ...ok, responseName: '1.2', responseValue: Buffer.from('v'), referral: ['ldap://x'] },
  { type: 'bindResponse', ...ok, serverSaslCreds: Buffer.from('c') },
  { type: 'searchResultReference', uris: ['ldap://x'] },
  { type: 'abandonRequest', abandonId: 3 },
  { type: 'delRequest', entry: 'uid=a' },
  { type: 'unbindRequest' },
];
const valid = seeds.map((protocolOp, i) =>
  encodeMessage({ messageId: i + 1, protocolOp, controls: [{ type: '1.2.840.113556.1.4.319', critical: true, value: Buffer.from('30050201640400', 'hex') }] }),
);

function mutate(rand: () => number, input: Buffer): Buffer {
  const buf = Buffer.from(input);
  switch (Math.floor(rand() * 5)) {
    case 0: // bit flips
      for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
        const i = Math.floor(rand() * buf.length);
        buf[i] = (buf[i] as number) ^ (1 << Math.floor(rand() * 8));
      }
      return buf;
    case 1: // truncation
      return buf.subarray(0, Math.floor(rand() * buf.length));
    case 2: { // length-field inflation: a length byte turned into a huge long form
      const i = 1 + Math.floor(rand() * (buf.length - 1));
      const huge = [0x84, 0x7f, 0xff, 0xff, 0xff];
      return Buffer.concat([buf.subarray(0, i), Buffer.from(huge.slice(0, 1 + Math.floor(rand() * 4))), buf.subarray(i + 1)]);
    }
    case 3: // random byte overwrite
      buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      return buf;
    default: { // splice of two PDUs
      const other = valid[Math.floor(rand() * valid.length)] as Buffer;
      return Buffer.concat([buf.subarray(0, Math.floor(rand() * buf.length)), other.subarray(Math.floor(rand() * other.length))]);
    }
  }
}

function randomBytes(rand: () => number): Buffer {
  const len = Math.floor(rand() * 64);
  const buf = Buffer.alloc(len);
  for (let i = 0; i < len; i++) buf[i] = Math.floor(rand() * 256);
  if (len > 0 && rand() < 0.5) buf[0] = 0x30; // reach past the first check more often
  return buf;
}

/** Runs input through framer + decoder (+ nested value codecs); returns decoded count. */
function exercise(input: Buffer, rand: () => number): number {
  const framer = new LdapFramer({ maxMessageSize: MAX });
  let decoded = 0;
  try {
    // Random chunking, to exercise the framer's reassembly too.
    for (let pos = 0; pos < input.length; ) {
      const size = 1 + Math.floor(rand() * 16);
      framer.push(input.subarray(pos, pos + size));
      pos += size;
      for (let pdu = framer.next(); pdu; pdu = framer.next()) {
        assert.ok(pdu.length <= MAX);
        const msg = decodeMessage(pdu);
        decoded++;
        for (const control of msg.controls) if (control.type === '1.2.840.113556.1.4.319') tryTyped(() => decodePagedResults(control));
        const op = msg.protocolOp;
        if (op.type === 'extendedRequest') tryTyped(() => decodePasswordModifyRequest(op.requestValue));
        encodeMessage(msg); // anything decoded must re-encode
      }
    }
  } catch (err) {
    if (!(err instanceof LdapCodecError)) throw err;
  }
  return decoded;
}

function tryTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof LdapCodecError)) throw err;
  }
}

test(`fuzz: ${ITERATIONS} random and mutated PDUs fail only with typed errors`, () => {
  const rand = rng(0xc0ffee);
  const start = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  let decoded = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const input = rand() < 0.2 ? randomBytes(rand) : mutate(rand, valid[Math.floor(rand() * valid.length)] as Buffer);
    try {
      decoded += exercise(input, rand);
    } catch (err) {
      assert.fail(`iteration ${i}: untyped ${String(err)} for ${input.toString('hex')}`);
    }
  }
  const elapsed = performance.now() - start;
  assert.ok(decoded > 0, 'some mutated PDUs should still decode');
  assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
  // No claimed length was ever allocated: heap growth stays far below what one 2 GB claim would cost.
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 256 * 1024 * 1024);
});

test('fuzz: every truncation and every single-bit flip of every valid PDU', () => {
  const rand = rng(7);
  for (const pdu of valid) {
    for (let len = 0; len < pdu.length; len++) exercise(pdu.subarray(0, len), rand);
    for (let bit = 0; bit < pdu.length * 8; bit++) {
      const flipped = Buffer.from(pdu);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      exercise(flipped, rand);
    }
  }
});

test('fuzz: DN and filter string parsers fail only with typed errors', () => {
  const rand = rng(42);
  const alphabet = 'cnuidoc=,+\\"#;<> ()&|!*~:.0123456789abcdefABCDEF2é\u0000';
  const bases = ['cn=Doe\\, John+uid=jd,ou=Users,dc=example,dc=org', 'cn=#0c03616263', '(&(objectClass=inetOrgPerson)(|(mail=a\\2ab)(cn:dn:1.2:=x)))'];
  for (let i = 0; i < 5_000; i++) {
    let s = bases[i % bases.length] as string;
    for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
      const at = Math.floor(rand() * (s.length + 1));
      const ch = alphabet[Math.floor(rand() * alphabet.length)] as string;
      s = rand() < 0.5 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
    }
    tryTyped(() => Dn.parse(s).normalized);
    tryTyped(() => parseFilter(s));
  }
});
