/**
 * How an upstream account (AD, OpenLDAP, OpenCloud IDM, a module) looks in Portcullis's directory:
 * the same shape as a local user (shape.ts), under ou=users of our base. No timestamps and no
 * pwdChangeTime: the upstream does not tell us when the account or its password changed.
 */
import type { Account } from '../../../pipeline/decision.js';
import { EntryBuilder, type Entry } from './entry.js';
import { SUBSCHEMA_DN, type DirectoryNames } from './names.js';
import { USER_CLASSES, splitName } from './shape.js';

/**
 * `key` is the DN's uid value (the login, or the mail address when the login alone would not
 * reach the account's backend); the upstream login stays a second uid value. `groupDns` only
 * when the caller needs memberOf.
 */
export function upstreamUserEntry(names: DirectoryNames, account: Account, key: string, groupDns: readonly string[] | null): Entry {
  const { sn, givenName } = splitName(account.displayName, key);
  const dn = names.userDn(key);
  return new EntryBuilder(dn)
    .add('objectClass', USER_CLASSES)
    .add('uid', key === account.uid ? key : [key, account.uid])
    .add('cn', key)
    .add('sn', sn)
    .add('givenName', givenName)
    .add('displayName', account.displayName)
    .add('mail', account.mail)
    .add('mailAlias', account.aliases)
    .add('memberOf', groupDns)
    .add('openCloudUUID', account.id)
    .add('openCloudUserEnabled', 'TRUE') // disabled upstream accounts are never served
    .add('entryUUID', account.id)
    .add('entryDN', dn)
    .add('structuralObjectClass', 'inetOrgPerson')
    .add('hasSubordinates', 'FALSE')
    .add('subschemaSubentry', SUBSCHEMA_DN)
    .build();
}
