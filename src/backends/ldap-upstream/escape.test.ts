import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeDnValue, escapeFilterValue, fillDn, fillFilter, firstRdnValue } from './escape.js';

test('filter values are data, never syntax', () => {
  assert.equal(escapeFilterValue('*)(uid=*'), '\\2a\\29\\28uid=\\2a');
  assert.equal(escapeFilterValue('a\\b\0'), 'a\\5cb\\00');
  assert.equal(
    fillFilter('(&(objectClass=inetOrgPerson)(|(uid={local})(mail={login})))', { login: 'al*ce@corp.example' }),
    '(&(objectClass=inetOrgPerson)(|(uid=al\\2ace)(mail=al\\2ace@corp.example)))',
  );
  // A value that looks like a placeholder is not filled again.
  assert.equal(fillFilter('(uid={login})(d={domain})', { login: '{domain}@x' }), '(uid={domain}@x)(d=x)');
});

test('DN values are escaped per RFC 4514', () => {
  assert.equal(escapeDnValue('a,b+c'), 'a\\,b\\+c');
  assert.equal(escapeDnValue('#x '), '\\#x\\ ');
  assert.equal(escapeDnValue(' lead'), '\\ lead');
  assert.equal(fillDn('uid={login},ou=users,o=libregraph-idm', { login: 'x,ou=admins' }), 'uid=x\\,ou\\=admins,ou=users,o=libregraph-idm');
});

test('first RDN value of a group DN', () => {
  assert.equal(firstRdnValue('cn=sales,ou=groups,dc=corp,dc=example'), 'sales');
  assert.equal(firstRdnValue('CN=Sales\\, EMEA,OU=Groups'), 'Sales, EMEA');
  assert.equal(firstRdnValue('cn=caf\\c3\\a9,ou=g'), 'café');
  assert.equal(firstRdnValue('cn=café,ou=g'), 'café');
});
