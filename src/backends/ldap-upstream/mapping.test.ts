import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from 'ldapts';
import { binaryAttributes, requestedAttributes, toBackendAccount } from './mapping.js';

const ad = {
  attributes: { login: 'sAMAccountName', mail: 'mail', displayName: 'displayName', id: 'objectGUID', aliases: 'proxyAddresses', passwordVersion: 'pwdLastSet' },
  groups: { source: 'memberOf' as const, memberOfAttribute: 'memberOf', filter: '', nameAttribute: 'cn' },
  enabled: { attribute: 'userAccountControl', type: 'ad-disabled-bit' as const },
};

test('an Active Directory entry: memberOf, userAccountControl bit 2, binary objectGUID, names in any case', () => {
  const guid = Buffer.from('6f1a2b3c4d5e6f708192a3b4c5d6e7f8', 'hex');
  const entry = {
    dn: 'CN=Jo,OU=People,DC=corp,DC=example',
    samaccountname: 'jo',
    MAIL: 'jo@corp.example',
    memberOf: ['CN=Sales\\, EMEA,OU=Groups,DC=corp,DC=example', 'CN=Staff,OU=Groups,DC=corp,DC=example'],
    userAccountControl: '512',
    objectGUID: guid,
    pwdLastSet: '133500000000000000',
  } as unknown as Entry;
  const account = toBackendAccount(entry, ad, null);
  assert.equal(account?.id, '3c2b1a6f-5e4d-706f-8192-a3b4c5d6e7f8');
  assert.deepEqual(account?.groups, ['Sales, EMEA', 'Staff']);
  assert.equal(account?.enabled, true);
  assert.equal(typeof account?.passwordVersion, 'number');
  assert.equal(toBackendAccount({ ...entry, userAccountControl: '514' } as Entry, ad, null)?.enabled, false);
  assert.deepEqual(binaryAttributes(ad), ['objectGUID']);
  assert.ok(requestedAttributes(ad).includes('memberOf'));
});

test('OpenCloud flags: openCloudUserEnabled FALSE disables; no flag means enabled; no login, no account', () => {
  const oc = { attributes: { login: 'uid', mail: 'mail', displayName: 'displayName', id: 'openCloudUUID' }, groups: { source: 'none' as const, memberOfAttribute: 'memberOf', filter: '', nameAttribute: 'cn' }, enabled: { attribute: 'openCloudUserEnabled', type: 'boolean' as const } };
  const entry = { dn: 'uid=a,ou=users,o=libregraph-idm', uid: 'a', cn: 'A Person', openCloudUUID: 'ABC-1' } as Entry;
  assert.deepEqual(toBackendAccount(entry, oc, null), { login: 'a', id: 'abc-1', mail: null, aliases: [], displayName: 'A Person', groups: [], enabled: true });
  assert.equal(toBackendAccount({ ...entry, openCloudUserEnabled: 'FALSE' } as Entry, oc, null)?.enabled, false);
  assert.equal(toBackendAccount({ dn: 'x', cn: 'no uid' } as Entry, oc, null), null);
});
