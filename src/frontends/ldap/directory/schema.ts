/**
 * The attribute types and object classes the directory serves: canonical names (answers use
 * them), matching (how filters compare values) and whether an attribute is operational.
 */
import { normalizeType } from '../protocol/index.js';

/** How values compare: caseIgnore text, DNs, GeneralizedTime, TRUE/FALSE, integers. */
export type Syntax = 'text' | 'dn' | 'time' | 'boolean' | 'integer';

export interface AttributeType {
  name: string;
  oid: string;
  syntax: Syntax;
  operational: boolean;
  singleValue?: boolean;
  aliases?: string[];
}

const SYNTAX_OIDS: Record<Syntax, string> = {
  text: '1.3.6.1.4.1.1466.115.121.1.15',
  dn: '1.3.6.1.4.1.1466.115.121.1.12',
  time: '1.3.6.1.4.1.1466.115.121.1.24',
  boolean: '1.3.6.1.4.1.1466.115.121.1.7',
  integer: '1.3.6.1.4.1.1466.115.121.1.27',
};

const EQUALITY: Record<Syntax, string> = {
  text: 'caseIgnoreMatch',
  dn: 'distinguishedNameMatch',
  time: 'generalizedTimeMatch',
  boolean: 'booleanMatch',
  integer: 'integerMatch',
};

const user = (name: string, oid: string, syntax: Syntax = 'text', extra: Partial<AttributeType> = {}): AttributeType => ({ name, oid, syntax, operational: false, ...extra });
const op = (name: string, oid: string, syntax: Syntax = 'text', extra: Partial<AttributeType> = {}): AttributeType => ({ name, oid, syntax, operational: true, ...extra });

// Portcullis's own attributes live under a private arc; OpenCloud's and Stalwart's names are theirs.
export const ATTRIBUTE_TYPES: readonly AttributeType[] = [
  user('objectClass', '2.5.4.0'),
  user('uid', '0.9.2342.19200300.100.1.1', 'text', { aliases: ['userid'] }),
  user('cn', '2.5.4.3', 'text', { aliases: ['commonName'] }),
  user('sn', '2.5.4.4', 'text', { aliases: ['surname'] }),
  user('givenName', '2.5.4.42', 'text', { aliases: ['gn'] }),
  user('displayName', '2.16.840.1.113730.3.1.241', 'text', { singleValue: true }),
  user('mail', '0.9.2342.19200300.100.1.3', 'text', { aliases: ['rfc822Mailbox'] }),
  user('mailAlias', '1.3.6.1.4.1.99999.1.1.1'),
  user('memberOf', '1.2.840.113556.1.2.102', 'dn'),
  user('member', '2.5.4.31', 'dn'),
  user('description', '2.5.4.13'),
  user('ou', '2.5.4.11', 'text', { aliases: ['organizationalUnitName'] }),
  user('o', '2.5.4.10', 'text', { aliases: ['organizationName'] }),
  user('dc', '0.9.2342.19200300.100.1.25', 'text', { aliases: ['domainComponent'], singleValue: true }),
  user('userPassword', '2.5.4.35'),
  user('pwdChangeTime', '1.3.6.1.4.1.99999.1.1.2', 'time', { singleValue: true }),
  user('openCloudUUID', '1.3.6.1.4.1.63016.1.1.1', 'text', { singleValue: true }),
  user('openCloudUserEnabled', '1.3.6.1.4.1.63016.1.1.2', 'boolean', { singleValue: true }),
  op('entryUUID', '1.3.6.1.1.16.4', 'text', { singleValue: true }),
  op('entryDN', '1.3.6.1.1.20', 'dn', { singleValue: true }),
  op('createTimestamp', '2.5.18.1', 'time', { singleValue: true }),
  op('modifyTimestamp', '2.5.18.2', 'time', { singleValue: true }),
  op('pwdChangedTime', '1.3.6.1.4.1.42.2.27.8.1.16', 'time', { singleValue: true }),
  op('structuralObjectClass', '2.5.21.9', 'text', { singleValue: true }),
  op('hasSubordinates', '2.5.18.9', 'boolean', { singleValue: true }),
  op('subschemaSubentry', '2.5.18.10', 'dn', { singleValue: true }),
  op('namingContexts', '1.3.6.1.4.1.1466.101.120.5', 'dn'),
  op('supportedLDAPVersion', '1.3.6.1.4.1.1466.101.120.15', 'integer'),
  op('supportedExtension', '1.3.6.1.4.1.1466.101.120.7'),
  op('supportedControl', '1.3.6.1.4.1.1466.101.120.13'),
  op('supportedSASLMechanisms', '1.3.6.1.4.1.1466.101.120.14'),
  op('supportedFeatures', '1.3.6.1.4.1.4203.1.3.5'),
  op('vendorName', '1.3.6.1.1.4', 'text', { singleValue: true }),
  op('vendorVersion', '1.3.6.1.1.5', 'text', { singleValue: true }),
  op('objectClasses', '2.5.21.6'),
  op('attributeTypes', '2.5.21.5'),
];

const byName = new Map<string, AttributeType>();
/** Each type's entry key (its lowercased canonical name), computed once. */
const keys = new Map<AttributeType, string>();
for (const type of ATTRIBUTE_TYPES) {
  for (const key of [type.name, type.oid, ...(type.aliases ?? [])]) byName.set(key.toLowerCase(), type);
  keys.set(type, type.name.toLowerCase());
}

/** The attribute type for a name, alias or OID as a client wrote it; undefined when unknown. */
export function attributeType(description: string): AttributeType | undefined {
  const lower = description.toLowerCase();
  return byName.get(lower) ?? byName.get(normalizeType(lower));
}

/** The lowercased canonical name used as the key in entries; unknown names stay as sent, lowercased. */
export function attributeKey(description: string): string {
  const type = attributeType(description);
  return type ? typeKey(type) : description.toLowerCase();
}

/** The entry key of a known type. */
export function typeKey(type: AttributeType): string {
  return keys.get(type) ?? type.name.toLowerCase();
}

export function syntaxOf(description: string): Syntax {
  return attributeType(description)?.syntax ?? 'text';
}

export interface ObjectClass {
  name: string;
  oid: string;
  kind: 'STRUCTURAL' | 'AUXILIARY' | 'ABSTRACT';
  sup?: string;
  must: string[];
  may: string[];
}

export const OBJECT_CLASSES: readonly ObjectClass[] = [
  { name: 'top', oid: '2.5.6.0', kind: 'ABSTRACT', must: ['objectClass'], may: [] },
  { name: 'organization', oid: '2.5.6.4', kind: 'STRUCTURAL', sup: 'top', must: ['o'], may: ['description'] },
  { name: 'dcObject', oid: '1.3.6.1.4.1.1466.344', kind: 'AUXILIARY', sup: 'top', must: ['dc'], may: [] },
  { name: 'organizationalUnit', oid: '2.5.6.5', kind: 'STRUCTURAL', sup: 'top', must: ['ou'], may: ['description'] },
  { name: 'person', oid: '2.5.6.6', kind: 'STRUCTURAL', sup: 'top', must: ['sn', 'cn'], may: ['userPassword', 'description'] },
  { name: 'organizationalPerson', oid: '2.5.6.7', kind: 'STRUCTURAL', sup: 'person', must: [], may: ['ou'] },
  { name: 'inetOrgPerson', oid: '2.16.840.1.113730.3.2.2', kind: 'STRUCTURAL', sup: 'organizationalPerson', must: [], may: ['uid', 'mail', 'givenName', 'displayName'] },
  { name: 'groupOfNames', oid: '2.5.6.9', kind: 'STRUCTURAL', sup: 'top', must: ['cn'], may: ['member', 'description', 'o', 'ou'] },
  { name: 'applicationProcess', oid: '2.5.6.11', kind: 'STRUCTURAL', sup: 'top', must: ['cn'], may: ['description', 'ou'] },
  { name: 'openCloudObject', oid: '1.3.6.1.4.1.63016.1.2.1', kind: 'AUXILIARY', sup: 'top', must: [], may: ['openCloudUUID'] },
  { name: 'openCloudUser', oid: '1.3.6.1.4.1.63016.1.2.2', kind: 'AUXILIARY', sup: 'openCloudObject', must: [], may: ['openCloudUserEnabled'] },
  { name: 'portcullisMailRecipient', oid: '1.3.6.1.4.1.99999.1.2.1', kind: 'AUXILIARY', sup: 'top', must: [], may: ['mail', 'mailAlias', 'memberOf', 'pwdChangeTime'] },
  { name: 'subschema', oid: '2.5.20.1', kind: 'AUXILIARY', must: [], may: ['objectClasses', 'attributeTypes'] },
];

/** RFC 4512 definitions for the cn=Subschema entry. */
export function attributeTypeDefinitions(): string[] {
  return ATTRIBUTE_TYPES.map((t) => {
    const names = [t.name, ...(t.aliases ?? [])].map((n) => `'${n}'`).join(' ');
    const usage = t.operational ? ' NO-USER-MODIFICATION USAGE directoryOperation' : '';
    const single = t.singleValue ? ' SINGLE-VALUE' : '';
    return `( ${t.oid} NAME ( ${names} ) EQUALITY ${EQUALITY[t.syntax]} SYNTAX ${SYNTAX_OIDS[t.syntax]}${single}${usage} )`;
  });
}

export function objectClassDefinitions(): string[] {
  const list = (attrs: string[]): string => (attrs.length === 1 ? attrs[0] ?? '' : `( ${attrs.join(' $ ')} )`);
  return OBJECT_CLASSES.map((c) => {
    const sup = c.sup ? ` SUP ${c.sup}` : '';
    const must = c.must.length ? ` MUST ${list(c.must)}` : '';
    const may = c.may.length ? ` MAY ${list(c.may)}` : '';
    return `( ${c.oid} NAME '${c.name}'${sup} ${c.kind}${must}${may} )`;
  });
}
