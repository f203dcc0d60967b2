/**
 * LDIF export of users and groups, in OpenCloud's IDM shape (inetOrgPerson + openCloudUser,
 * groupOfNames + openCloudObject, ids as openCloudUUID) or a plain OpenLDAP shape. Password
 * hashes are exported as stored, tagged the way OpenLDAP and OpenCloud's IDM read them.
 * Service accounts and app passwords are not exported.
 */
import { isShadowRecord } from '../identity/shadow-record.js';
import type { Group, User } from '../identity/model.js';
import type { IdentityStore, Page } from '../store/store.js';
import { escapeDnValue, leafRdn, parseDn } from './dn.js';
import { writeLdif } from './write.js';
import type { LdifEntry } from './write.js';

export type ExportShape = 'opencloud' | 'openldap';

export interface ExportOptions {
  /** e.g. `o=libregraph-idm` (OpenCloud) or `dc=example,dc=org`. */
  baseDn: string;
  shape: ExportShape;
  /** Also write the base entry and ou=users / ou=groups, so the file loads into an empty tree (default true). */
  containers?: boolean;
}

/** OpenLDAP ppolicy's "locked until an administrator unlocks it"; the import reads it back as disabled. */
const PERMANENTLY_LOCKED = '000001010000Z';

/**
 * A stored hash as an LDAP userPassword value: argon2 PHC strings get `{ARGON2}` (OpenLDAP's
 * argon2 module, OpenCloud's IDM), crypt(3) strings `{CRYPT}`; tagged values stay as they are.
 * PBKDF2 strings have no OpenLDAP form and are written as stored (Portcullis reads them back).
 */
export function ldapPasswordValue(hash: string): string {
  if (hash.startsWith('{')) return hash;
  if (/^\$argon2(?:id|i|d)\$/.test(hash)) return `{ARGON2}${hash}`;
  if (/^\$(?:1|5|6|2[aby])\$/.test(hash)) return `{CRYPT}${hash}`;
  return hash;
}

export async function exportLdif(store: IdentityStore, options: ExportOptions): Promise<string> {
  const base = options.baseDn.trim();
  if (parseDn(base).length === 0) throw new Error('baseDn must not be empty');
  const usersDn = `ou=users,${base}`;
  const groupsDn = `ou=groups,${base}`;
  const userDn = (login: string): string => `uid=${escapeDnValue(login)},${usersDn}`;
  const opencloud = options.shape === 'opencloud';

  const users = (await all((page) => store.listUsers(page))).sort((a, b) => cmp(a.login, b.login));
  const groups = (await all((page) => store.listGroups(page))).sort((a, b) => cmp(a.name, b.name));

  const entries: LdifEntry[] = [];
  if (options.containers ?? true) {
    const baseEntry = containerEntry(base);
    if (baseEntry) entries.push(baseEntry);
    entries.push(ou(usersDn, 'users'), ou(groupsDn, 'groups'));
  }
  for (const user of users) entries.push(opencloud ? openCloudUser(user, userDn(user.login)) : openLdapUser(user, userDn(user.login)));
  for (const group of groups) {
    const members = (await store.listMembers(group.id)).map((u) => userDn(u.login)).sort(cmp);
    entries.push(groupEntry(group, `cn=${escapeDnValue(group.name)},${groupsDn}`, members, opencloud));
  }
  return writeLdif(entries, { header: [`Portcullis export, ${options.shape} shape, base ${base}`] });
}

function openCloudUser(user: User, dn: string): LdifEntry {
  const attributes: Array<[string, string]> = [
    ...classes('inetOrgPerson', 'organizationalPerson', 'person', 'top', 'openCloudUser'),
    ['uid', user.login],
    ['cn', user.login],
    ['sn', user.login],
    ['displayName', user.displayName],
    ...mails(user.mail, user.aliases),
    ['openCloudUUID', user.id],
    ['openCloudUserEnabled', user.enabled ? 'TRUE' : 'FALSE'],
  ];
  if (user.passwordHash && !isShadowRecord(user)) attributes.push(['userPassword', ldapPasswordValue(user.passwordHash)]);
  return { dn, attributes };
}

function openLdapUser(user: User, dn: string): LdifEntry {
  const surname = user.displayName.split(/\s+/).filter(Boolean).pop() ?? user.login;
  const attributes: Array<[string, string]> = [
    ...classes('inetOrgPerson', 'organizationalPerson', 'person', 'top'),
    ['uid', user.login],
    ['cn', user.displayName],
    ['sn', surname],
    ['displayName', user.displayName],
    ...mails(user.mail, user.aliases),
  ];
  // Needs the ppolicy overlay on the OpenLDAP side; without it, remove the line and disable there.
  if (!user.enabled) attributes.push(['pwdAccountLockedTime', PERMANENTLY_LOCKED]);
  if (user.passwordHash && !isShadowRecord(user)) attributes.push(['userPassword', ldapPasswordValue(user.passwordHash)]);
  return { dn, attributes };
}

function groupEntry(group: Group, dn: string, members: string[], opencloud: boolean): LdifEntry {
  const names = ['groupOfNames', 'top'];
  if (opencloud) names.push('openCloudObject');
  // groupOfNames does not allow mail; extensibleObject does, on OpenLDAP and OpenCloud's IDM alike.
  if (group.mail) names.push('extensibleObject');
  const attributes: Array<[string, string]> = [...classes(...names), ['cn', group.name]];
  if (group.description) attributes.push(['description', group.description]);
  if (group.mail) attributes.push(...mails(group.mail, group.aliases));
  if (opencloud) attributes.push(['openCloudUUID', group.id]);
  // groupOfNames needs a member; like OpenCloud, an empty group gets one empty value.
  if (members.length === 0) attributes.push(['member', '']);
  for (const member of members) attributes.push(['member', member]);
  return { dn, attributes };
}

/** Primary address first, then the aliases: the import reads extra mail values back as aliases. */
function mails(mail: string, aliases: string[]): Array<[string, string]> {
  return [mail, ...[...aliases].sort(cmp)].map((m): [string, string] => ['mail', m]);
}

function classes(...names: string[]): Array<[string, string]> {
  return names.map((n): [string, string] => ['objectClass', n]);
}

function ou(dn: string, name: string): LdifEntry {
  return { dn, attributes: [...classes('organizationalUnit', 'top'), ['ou', name]] };
}

/** The base entry for an o=, dc= or ou= base; null for anything else (expected to exist). */
function containerEntry(base: string): LdifEntry | null {
  const leaf = leafRdn(base);
  if (!leaf) return null;
  if (leaf.type === 'o') return { dn: base, attributes: [...classes('organization', 'top'), ['o', leaf.value]] };
  if (leaf.type === 'ou') return { dn: base, attributes: [...classes('organizationalUnit', 'top'), ['ou', leaf.value]] };
  if (leaf.type === 'dc') return { dn: base, attributes: [...classes('dcObject', 'organization', 'top'), ['dc', leaf.value], ['o', leaf.value]] };
  return null;
}

async function all<T>(list: (page: Page) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await list({ offset, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
