import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientAddresses } from './client-address.js';

const proxies = new ClientAddresses(['10.0.0.0/8', '2001:db8:ffff::/48']);
const req = (peer: string, xff?: string | string[], proto?: string, direct = 'http') => ({
  socket: { remoteAddress: peer },
  protocol: direct as 'http' | 'https',
  headers: { ...(xff !== undefined ? { 'x-forwarded-for': xff } : {}), ...(proto !== undefined ? { 'x-forwarded-proto': proto } : {}) },
});

test('an untrusted peer is the client, whatever it claims', () => {
  assert.deepEqual(proxies.resolve(req('203.0.113.7', '192.0.2.1', 'https')), { ip: '203.0.113.7', proxy: null, https: false });
  assert.deepEqual(proxies.resolve(req('::ffff:203.0.113.7')), { ip: '203.0.113.7', proxy: null, https: false });
});

test('behind a trusted proxy: the rightmost untrusted hop, never what the client prepended', () => {
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9')).ip, '198.51.100.9');
  assert.equal(proxies.resolve(req('10.1.1.1', '6.6.6.6, 198.51.100.9')).ip, '198.51.100.9', 'a forged left part is never reached');
  assert.equal(proxies.resolve(req('10.1.1.1', '6.6.6.6, 198.51.100.9, 10.2.2.2')).ip, '198.51.100.9', 'two proxies');
  assert.equal(proxies.resolve(req('10.1.1.1', ['6.6.6.6', '198.51.100.9'])).ip, '198.51.100.9', 'repeated headers');
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9:4711')).ip, '198.51.100.9', 'with a port');
  assert.equal(proxies.resolve(req('10.1.1.1', '[2001:db8:1::5]:443')).ip, '2001:db8:1::5');
  assert.equal(proxies.resolve(req('2001:db8:ffff::1', '2001:db8:1::5')).proxy, '2001:db8:ffff::1');
});

test('garbage, nothing, or only proxies: the last address a trusted hop vouched for', () => {
  assert.equal(proxies.resolve(req('10.1.1.1')).ip, '10.1.1.1');
  assert.equal(proxies.resolve(req('10.1.1.1', 'not-an-ip')).ip, '10.1.1.1');
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9, junk, 10.3.3.3')).ip, '10.3.3.3');
  assert.equal(proxies.resolve(req('10.1.1.1', '10.9.9.9, 10.3.3.3')).ip, '10.9.9.9');
});

test('X-Forwarded-Proto counts only from a trusted proxy, and only its last value', () => {
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9', 'https')).https, true);
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9', 'https, http')).https, false);
  assert.equal(proxies.resolve(req('10.1.1.1', '198.51.100.9', undefined, 'https')).https, true, 'no header: the socket decides');
  assert.equal(new ClientAddresses([]).resolve(req('10.1.1.1', '198.51.100.9', 'https')).https, false);
});
