/**
 * How identities look as LDAP entries: users as inetOrgPerson + openCloudUser, groups as
 * groupOfNames, service accounts as applicationProcess. userPassword is never part of an entry.
 */
import type { Group, ServiceAccount, User } from '../../../identity/model.js';
import { AttributeLayout, EntryBuilder, attributeSlot, constantAttribute, generalizedTime, slotAttribute, type Entry } from './entry.js';
import type { Container, DirectoryNames } from './names.js';
import { SUBSCHEMA_DN } from './names.js';

// Frozen: entries share these lists (entry.ts), and filters normalise them once (filter-eval.ts).
export const USER_CLASSES: readonly string[] = Object.freeze(['top', 'person', 'organizationalPerson', 'inetOrgPerson', 'openCloudObject', 'openCloudUser', 'portcullisMailRecipient']);
export const GROUP_CLASSES: readonly string[] = Object.freeze(['top', 'groupOfNames', 'openCloudObject', 'portcullisMailRecipient']);
export const SERVICE_CLASSES: readonly string[] = Object.freeze(['top', 'applicationProcess']);
export const CONTAINER_CLASSES: readonly string[] = Object.freeze(['top', 'organizationalUnit']);

/** sn is the display name's last word (or the login); givenName the words before it. */
export function splitName(displayName: string, login: string): { sn: string; givenName: string | null } {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { sn: login, givenName: null };
  const sn = words[words.length - 1] ?? login;
  return { sn, givenName: words.length > 1 ? words.slice(0, -1).join(' ') : null };
}

const slot = {
  objectClass: attributeSlot('objectClass'),
  uid: attributeSlot('uid'),
  cn: attributeSlot('cn'),
  sn: attributeSlot('sn'),
  givenName: attributeSlot('givenName'),
  displayName: attributeSlot('displayName'),
  mail: attributeSlot('mail'),
  mailAlias: attributeSlot('mailAlias'),
  memberOf: attributeSlot('memberOf'),
  pwdChangeTime: attributeSlot('pwdChangeTime'),
  openCloudUUID: attributeSlot('openCloudUUID'),
  openCloudUserEnabled: attributeSlot('openCloudUserEnabled'),
  entryUUID: attributeSlot('entryUUID'),
  entryDN: attributeSlot('entryDN'),
  pwdChangedTime: attributeSlot('pwdChangedTime'),
  structuralObjectClass: attributeSlot('structuralObjectClass'),
  hasSubordinates: attributeSlot('hasSubordinates'),
  subschemaSubentry: attributeSlot('subschemaSubentry'),
  createTimestamp: attributeSlot('createTimestamp'),
  modifyTimestamp: attributeSlot('modifyTimestamp'),
};
const USER_LAYOUT = new AttributeLayout([
  slot.objectClass, slot.uid, slot.cn, slot.sn, slot.givenName, slot.displayName, slot.mail, slot.mailAlias, slot.memberOf, slot.pwdChangeTime,
  slot.openCloudUUID, slot.openCloudUserEnabled, slot.entryUUID, slot.entryDN, slot.pwdChangedTime, slot.structuralObjectClass,
  slot.hasSubordinates, slot.subschemaSubentry, slot.createTimestamp, slot.modifyTimestamp,
]);
// Attributes every user entry has alike: shared, not allocated per entry.
const USER = {
  objectClass: constantAttribute(slot.objectClass, USER_CLASSES),
  enabled: constantAttribute(slot.openCloudUserEnabled, ['TRUE']),
  disabled: constantAttribute(slot.openCloudUserEnabled, ['FALSE']),
  structural: constantAttribute(slot.structuralObjectClass, ['inetOrgPerson']),
  leaf: constantAttribute(slot.hasSubordinates, ['FALSE']),
  subschema: constantAttribute(slot.subschemaSubentry, [SUBSCHEMA_DN]),
};

/** A one-value list, or null for an absent or empty value (left out, as EntryBuilder.add does). */
const one = (value: string | null | undefined): string[] | null => (value == null || value === '' ? null : [value]);
const some = (values: readonly string[]): readonly string[] => (values.includes('') ? values.filter((v) => v !== '') : values);

/**
 * `groups` only when the caller needs memberOf (it costs a query per user). Built by slot, with
 * value lists shared between attributes that carry the same value (uid/cn, the UUIDs, the
 * password change times): every first read of an address builds one.
 */
export function userEntry(names: DirectoryNames, user: User, groups: readonly Group[] | null): Entry {
  const { sn, givenName } = splitName(user.displayName, user.login);
  const changed = one(user.passwordChangedAt ? generalizedTime(user.passwordChangedAt) : null);
  const dn = names.userDn(user.login);
  const login = one(user.login);
  const id = one(user.id);
  const created = [generalizedTime(user.createdAt)];
  const updated = user.updatedAt.getTime() === user.createdAt.getTime() ? created : [generalizedTime(user.updatedAt)];
  // In USER_LAYOUT's order.
  return USER_LAYOUT.entry(dn, [
    USER.objectClass,
    slotAttribute(slot.uid, login),
    slotAttribute(slot.cn, login),
    slotAttribute(slot.sn, one(sn)),
    slotAttribute(slot.givenName, one(givenName)),
    slotAttribute(slot.displayName, one(user.displayName)),
    slotAttribute(slot.mail, one(user.mail)),
    slotAttribute(slot.mailAlias, some(user.aliases)),
    slotAttribute(slot.memberOf, groups && groups.map((g) => names.groupDn(g.name))),
    slotAttribute(slot.pwdChangeTime, changed),
    slotAttribute(slot.openCloudUUID, id),
    user.enabled ? USER.enabled : USER.disabled,
    slotAttribute(slot.entryUUID, id),
    slotAttribute(slot.entryDN, [dn]),
    slotAttribute(slot.pwdChangedTime, changed),
    USER.structural,
    USER.leaf,
    USER.subschema,
    slotAttribute(slot.createTimestamp, created),
    slotAttribute(slot.modifyTimestamp, updated),
  ]);
}

/** `members` (their logins) only when the caller needs member. */
export function groupEntry(names: DirectoryNames, group: Group, members: readonly string[] | null): Entry {
  const dn = names.groupDn(group.name);
  return new EntryBuilder(dn)
    .add('objectClass', GROUP_CLASSES)
    .add('cn', group.name)
    .add('description', group.description)
    .add('mail', group.mail)
    .add('mailAlias', group.aliases)
    .add('member', members?.map((login) => names.userDn(login)))
    .add('openCloudUUID', group.id)
    .add('entryUUID', group.id)
    .add('entryDN', dn)
    .add('structuralObjectClass', 'groupOfNames')
    .add('hasSubordinates', 'FALSE')
    .add('subschemaSubentry', SUBSCHEMA_DN)
    .add('createTimestamp', generalizedTime(group.createdAt))
    .add('modifyTimestamp', generalizedTime(group.updatedAt))
    .build();
}

/** No credential and no roles: the entry only says the account exists. */
export function serviceEntry(names: DirectoryNames, account: ServiceAccount): Entry {
  const dn = names.serviceDn(account.name);
  return new EntryBuilder(dn)
    .add('objectClass', SERVICE_CLASSES)
    .add('cn', account.name)
    .add('description', account.description)
    .add('entryUUID', account.id)
    .add('entryDN', dn)
    .add('structuralObjectClass', 'applicationProcess')
    .add('hasSubordinates', 'FALSE')
    .add('subschemaSubentry', SUBSCHEMA_DN)
    .add('createTimestamp', generalizedTime(account.createdAt))
    .add('modifyTimestamp', generalizedTime(account.updatedAt))
    .build();
}

/** The suffix entry, shaped after its naming attribute (dc=, o= or ou=). */
export function baseEntry(names: DirectoryNames): Entry {
  const ava = names.base.rdn?.[0];
  const type = ava?.type.toLowerCase() ?? '';
  const value = ava?.value ?? '';
  const builder = new EntryBuilder(names.baseText);
  if (type === 'dc') builder.add('objectClass', ['top', 'dcObject', 'organization']).add('dc', value).add('o', value).add('structuralObjectClass', 'organization');
  else if (type === 'o') builder.add('objectClass', ['top', 'organization']).add('o', value).add('structuralObjectClass', 'organization');
  else if (type === 'ou') builder.add('objectClass', CONTAINER_CLASSES).add('ou', value).add('structuralObjectClass', 'organizationalUnit');
  else builder.add('objectClass', ['top', 'extensibleObject']).add(ava?.type ?? 'cn', value);
  return builder.add('entryDN', names.baseText).add('hasSubordinates', 'TRUE').add('subschemaSubentry', SUBSCHEMA_DN).build();
}

export function containerEntry(names: DirectoryNames, container: Container): Entry {
  const dn = names.containerDn(container);
  return new EntryBuilder(dn)
    .add('objectClass', CONTAINER_CLASSES)
    .add('ou', container)
    .add('entryDN', dn)
    .add('structuralObjectClass', 'organizationalUnit')
    .add('hasSubordinates', 'TRUE')
    .add('subschemaSubentry', SUBSCHEMA_DN)
    .build();
}
