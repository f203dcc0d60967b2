/** The root DSE (what the server supports, readable by anyone) and the cn=Subschema entry. */
import { ExtendedOid, PAGED_RESULTS_OID } from '../protocol/index.js';
import { EntryBuilder, type Entry } from './entry.js';
import { SUBSCHEMA_DN, type DirectoryNames } from './names.js';
import { attributeTypeDefinitions, objectClassDefinitions } from './schema.js';

/** RFC 4529 (all operational attributes: '+') and RFC 4526 (absolute true/false filters). */
const FEATURES = ['1.3.6.1.4.1.4203.1.5.1', '1.3.6.1.4.1.4203.1.5.3'];

export function rootDse(names: DirectoryNames, options: { startTls: boolean; version: string }): Entry {
  const extensions = [ExtendedOid.whoAmI, ExtendedOid.passwordModify, ...(options.startTls ? [ExtendedOid.startTls] : [])];
  // No supportedSASLMechanisms: an attribute cannot be empty, and there are none.
  return new EntryBuilder('')
    .add('objectClass', ['top', 'extensibleObject'])
    .add('namingContexts', names.baseText)
    .add('supportedLDAPVersion', '3')
    .add('supportedExtension', extensions)
    .add('supportedControl', [PAGED_RESULTS_OID])
    .add('supportedFeatures', FEATURES)
    .add('vendorName', 'Portcullis')
    .add('vendorVersion', options.version)
    .add('subschemaSubentry', SUBSCHEMA_DN)
    .build();
}

let subschemaCache: Entry | undefined;

export function subschemaEntry(): Entry {
  subschemaCache ??= new EntryBuilder(SUBSCHEMA_DN)
    .add('objectClass', ['top', 'subentry', 'subschema', 'extensibleObject'])
    .add('cn', 'Subschema')
    .add('structuralObjectClass', 'subentry')
    .add('objectClasses', objectClassDefinitions())
    .add('attributeTypes', attributeTypeDefinitions())
    .build();
  return subschemaCache;
}
