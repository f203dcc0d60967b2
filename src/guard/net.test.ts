import assert from 'node:assert/strict';
import { it } from 'node:test';
import { dnsblQueryName } from './dnsbl/names.js';
import { cidrContains, networkOf, normalizeIp, parseCidr, parseIp } from './net.js';

it('normalises addresses, IPv4-mapped IPv6 included', () => {
  assert.equal(normalizeIp('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(normalizeIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(normalizeIp('[2001:db8::1]'), '2001:db8::1');
  assert.equal(normalizeIp('nope'), null);
});

it('computes networks and matches CIDRs', () => {
  assert.equal(networkOf(parseIp('192.0.2.77') ?? assert.fail(), 24), '192.0.2.0/24');
  assert.equal(networkOf(parseIp('2001:db8:1:2:3:4:5:6') ?? assert.fail(), 64), '2001:db8:1:2::/64');
  const c = parseCidr('10.0.0.0/8') ?? assert.fail();
  assert.equal(cidrContains(c, parseIp('10.200.1.1') ?? assert.fail()), true);
  assert.equal(cidrContains(c, parseIp('11.0.0.1') ?? assert.fail()), false);
});

it('builds DNSBL names: reversed octets and nibbles', () => {
  assert.equal(dnsblQueryName(parseIp('192.0.2.7') ?? assert.fail(), 'bl.test'), '7.2.0.192.bl.test');
  assert.equal(
    dnsblQueryName(parseIp('2001:db8::1') ?? assert.fail(), 'bl.test'),
    '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test',
  );
});
