// Vectors from `slappasswd -h {SSHA}` etc. (OpenLDAP 2.5; SHA-2 schemes via `-o module-load=pw-sha2`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MalformedHashError } from './errors.js';
import { parseLdapDigest, verifyLdapDigest } from './ldap-digest.js';
import type { LdapDigestTag } from './ldap-digest.js';

const VECTORS: Array<[LdapDigestTag, string, string]> = [
  ['SSHA', 'secret', '4spEgrOpAuCt/BZNr5IVM/OxTuzotFWZ'],
  ['SSHA', 'pässwörd', 'QHdsoyrXSJL5WU3tqOjeSBvFiHeH4wMH'],
  ['SHA', 'secret', '5en6G6MezRroT3XKqkdPOmY/BfQ='],
  ['SSHA256', 'secret', 'gtyJOXRssejfHPNpnRJtvL0YuIl0U0s5v8/EFAjHIG0LioIDbtyrAw=='],
  ['SSHA512', 'secret', 'DW0Kq+ROZ1QxIwbEMgBURkYQXIubcDm+X9xtYtNUynhzLpEkw0bhQYtdKc+NsmzZH0ydQvOfw4Et/S19UYg7ljSDPfs8LjPm'],
  ['SHA256', 'secret', 'K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols='],
  ['SHA512', 'secret', 'vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg=='],
  ['SMD5', 'secret', '1hPEJSNlVFHJfqmppNV0J1gWJh0='],
  ['MD5', 'secret', 'Xr4ilOzQ4PCOq3aQ0qbuaQ=='],
];

describe('LDAP digests', () => {
  for (const [tag, password, value] of VECTORS) {
    it(`verifies {${tag}}`, async () => {
      const parsed = parseLdapDigest(tag, value);
      assert.equal(await verifyLdapDigest(parsed, password), true);
      assert.equal(await verifyLdapDigest(parsed, 'Secret'), false);
    });
  }

  it('accepts salts of any length, as other tools write them', async () => {
    const salt = Buffer.from('a much longer salt than slappasswd uses');
    const digest = createHash('sha256').update('pw').update(salt).digest();
    const parsed = parseLdapDigest('SSHA256', Buffer.concat([digest, salt]).toString('base64'));
    assert.equal(await verifyLdapDigest(parsed, 'pw'), true);
  });

  it('rejects bad base64 and wrong lengths', () => {
    assert.throws(() => parseLdapDigest('SSHA', 'not*base64'), MalformedHashError);
    assert.throws(() => parseLdapDigest('SHA', Buffer.alloc(21).toString('base64')), MalformedHashError);
    assert.throws(() => parseLdapDigest('SSHA', Buffer.alloc(20).toString('base64')), MalformedHashError);
  });
});
