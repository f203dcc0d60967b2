/**
 * How identities look as LDAP entries: users as inetOrgPerson + openCloudUser, groups as
 * groupOfNames, service accounts as applicationProcess. userPassword is never part of an entry.
 */
import type { Group, ServiceAccount, User } from '../../../identity/model.js';
import { AttributeLayout, EntryBuilder, LaidOutAttributes, attributeSlot, constantAttribute, generalizedTime, slotAttribute, type Attribute, type Entry } from './entry.js';
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
 * `groups` only when the caller needs memberOf (it costs a query per user). Attributes are
 * computed when first asked for (LaidOutAttributes), with value lists shared between attributes
 * that carry the same value (uid/cn, the UUIDs, the password change times): every first read of
 * an address builds one, and a recipient search asks for five of the twenty.
 */
export function userEntry(names: DirectoryNames, user: User, groups: readonly Group[] | null): Entry {
  const dn = names.userDn(user.login);
  return { dn, attributes: new UserAttributes(names, dn, user, groups) };
}

/** Slot numbers of USER_LAYOUT. */
const enum U {
  objectClass, uid, cn, sn, givenName, displayName, mail, mailAlias, memberOf, pwdChangeTime,
  openCloudUUID, openCloudUserEnabled, entryUUID, entryDN, pwdChangedTime, structural, leaf, subschema, createTimestamp, modifyTimestamp,
}

class UserAttributes extends LaidOutAttributes {
  constructor(
    private readonly names: DirectoryNames,
    private readonly dn: string,
    private readonly user: User,
    private readonly groups: readonly Group[] | null,
  ) {
    super(USER_LAYOUT);
  }

  protected compute(i: number): Attribute | undefined {
    const { user } = this;
    switch (i as U) {
      case U.objectClass:
        return USER.objectClass;
      case U.uid:
      case U.cn: {
        const login = one(user.login);
        this.put(U.uid, slotAttribute(slot.uid, login));
        this.put(U.cn, slotAttribute(slot.cn, login));
        return this.at(i);
      }
      case U.sn:
      case U.givenName: {
        const { sn, givenName } = splitName(user.displayName, user.login);
        this.put(U.sn, slotAttribute(slot.sn, one(sn)));
        this.put(U.givenName, slotAttribute(slot.givenName, one(givenName)));
        return this.at(i);
      }
      case U.displayName:
        return slotAttribute(slot.displayName, one(user.displayName));
      case U.mail:
        return slotAttribute(slot.mail, one(user.mail));
      case U.mailAlias:
        return slotAttribute(slot.mailAlias, some(user.aliases));
      case U.memberOf:
        return slotAttribute(slot.memberOf, this.groups && this.groups.map((g) => this.names.groupDn(g.name)));
      case U.pwdChangeTime:
      case U.pwdChangedTime: {
        const changed = one(user.passwordChangedAt ? generalizedTime(user.passwordChangedAt) : null);
        this.put(U.pwdChangeTime, slotAttribute(slot.pwdChangeTime, changed));
        this.put(U.pwdChangedTime, slotAttribute(slot.pwdChangedTime, changed));
        return this.at(i);
      }
      case U.openCloudUUID:
      case U.entryUUID: {
        const id = one(user.id);
        this.put(U.openCloudUUID, slotAttribute(slot.openCloudUUID, id));
        this.put(U.entryUUID, slotAttribute(slot.entryUUID, id));
        return this.at(i);
      }
      case U.openCloudUserEnabled:
        return user.enabled ? USER.enabled : USER.disabled;
      case U.entryDN:
        return slotAttribute(slot.entryDN, [this.dn]);
      case U.structural:
        return USER.structural;
      case U.leaf:
        return USER.leaf;
      case U.subschema:
        return USER.subschema;
      case U.createTimestamp:
      case U.modifyTimestamp: {
        const created = [generalizedTime(user.createdAt)];
        const updated = user.updatedAt.getTime() === user.createdAt.getTime() ? created : [generalizedTime(user.updatedAt)];
        this.put(U.createTimestamp, slotAttribute(slot.createTimestamp, created));
        this.put(U.modifyTimestamp, slotAttribute(slot.modifyTimestamp, updated));
        return this.at(i);
      }
    }
  }
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
