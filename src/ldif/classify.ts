/**
 * Turns parsed LDIF records into an import plan — users, groups, skipped entries — checking
 * everything that can be checked without the store, so errors name the record and line.
 */
import { MalformedHashError, UnsupportedHashError } from '../passwords/errors.js';
import { parseStoredHash } from '../passwords/verify.js';
import { normalizeAddress, normalizeDescription, normalizeDisplayName, normalizeDomain, normalizeLogin } from '../identity/validate.js';
import { leafRdn, normalizeDn } from './dn.js';
import { LdifError } from './parse.js';
import type { LdifAttribute, LdifRecord } from './parse.js';

export interface PlannedUser {
  record: LdifRecord;
  login: string;
  mail: string;
  aliases: string[];
  displayName: string;
  enabled: boolean;
  passwordHash: string | null;
  id: string | null;
  /** Where each address was written, for error messages. */
  addressLines: Map<string, number>;
}

export interface PlannedGroup {
  record: LdifRecord;
  name: string;
  mail: string | null;
  aliases: string[];
  description: string;
  id: string | null;
  addressLines: Map<string, number>;
  /** Canonical DNs of members, each with the line that named it. */
  members: Array<{ dn: string; key: string; line: number }>;
}

export interface ImportPlan {
  users: PlannedUser[];
  groups: PlannedGroup[];
  skipped: Array<{ dn: string; why: string }>;
  /** Canonical DN → user, to resolve group members. */
  usersByDn: Map<string, PlannedUser>;
}

const CONTAINERS = new Set(['organizationalunit', 'organization', 'dcobject', 'domain']);
const USER_CLASSES = new Set(['inetorgperson']);
const GROUP_CLASSES = new Set(['groupofnames', 'groupofuniquenames']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** OpenLDAP ppolicy's "locked until an administrator unlocks it". */
const PERMANENTLY_LOCKED = '000001010000Z';

export function planImport(records: LdifRecord[], options: { defaultDomain?: string } = {}): ImportPlan {
  const defaultDomain = options.defaultDomain ? normalizeDomain(options.defaultDomain, 'defaultDomain') : undefined;
  const plan: ImportPlan = { users: [], groups: [], skipped: [], usersByDn: new Map() };
  const dns = new Map<string, LdifRecord>();
  const groupDns = new Set<string>();
  const skippedDns = new Map<string, string>();
  const claims = new Map<string, { dn: string; line: number }>();
  /** One owner per login, group name, address and id across the whole file. */
  const claim = (kind: string, value: string, record: LdifRecord, line: number): void => {
    const owner = claims.get(`${kind}\0${value}`);
    if (owner) throw new LdifError(line, record.dn, `${kind} "${value}" is already used by ${owner.dn} (line ${owner.line})`);
    claims.set(`${kind}\0${value}`, { dn: record.dn, line });
  };

  for (const record of records) {
    const key = normalizeDn(record.dn);
    const twin = dns.get(key);
    if (twin) throw new LdifError(record.line, record.dn, `duplicate entry: the same dn is at line ${twin.line}`);
    dns.set(key, record);
    const classes = new Set(values(record, 'objectclass').map((a) => text(record, a).trim().toLowerCase()));
    if ([...classes].some((c) => USER_CLASSES.has(c))) {
      const user = planUser(record, defaultDomain);
      claim('login', user.login, record, record.line);
      for (const address of [user.mail, ...user.aliases]) claim('address', address, record, user.addressLines.get(address) ?? record.line);
      if (user.id) claim('id', user.id, record, record.line);
      plan.users.push(user);
      plan.usersByDn.set(key, user);
    } else if ([...classes].some((c) => GROUP_CLASSES.has(c))) {
      const group = planGroup(record);
      claim('group name', group.name, record, record.line);
      for (const address of group.mail ? [group.mail, ...group.aliases] : group.aliases) {
        claim('address', address, record, group.addressLines.get(address) ?? record.line);
      }
      if (group.id) claim('id', group.id, record, record.line);
      plan.groups.push(group);
      groupDns.add(key);
    } else if (![...classes].some((c) => CONTAINERS.has(c))) {
      const why = classes.size ? `object classes ${[...classes].sort().join(', ')} are neither a user (inetOrgPerson) nor a group (groupOfNames)` : 'no objectClass';
      plan.skipped.push({ dn: record.dn, why });
      skippedDns.set(key, why);
    }
  }

  for (const group of plan.groups) {
    for (const member of group.members) {
      if (plan.usersByDn.has(member.key)) continue;
      const why = groupDns.has(member.key)
        ? 'is a group; nested groups are not supported'
        : skippedDns.has(member.key)
          ? 'is an entry that is not imported (not a user)'
          : 'is not a user in this file';
      throw new LdifError(member.line, group.record.dn, `member "${member.dn}" of group "${group.name}" ${why}`);
    }
  }
  return plan;
}

function planUser(record: LdifRecord, defaultDomain: string | undefined): PlannedUser {
  const uids = values(record, 'uid');
  const leaf = leafRdn(record.dn);
  const uid = uids.find((a) => leaf?.type === 'uid' && a.value.toLowerCase() === leaf.value.toLowerCase()) ?? uids[0];
  const mails = addresses(record, 'mail');
  let login: string;
  if (uid) login = checked(record, uid.line, () => normalizeLogin(text(record, uid)));
  else if (mails[0]) login = checked(record, record.line, () => normalizeLogin(mails[0]?.address.split('@')[0] ?? ''));
  else throw new LdifError(record.line, record.dn, 'a user needs a uid or a mail');

  let mail = mails[0]?.address;
  if (!mail) {
    if (!defaultDomain) throw new LdifError(record.line, record.dn, `no mail; give a default domain to use ${login}@<domain>`);
    mail = checked(record, record.line, () => normalizeAddress(`${login}@${defaultDomain}`));
  }
  const aliases = [...new Set([...mails.slice(1), ...addresses(record, 'mailalias')].map((m) => m.address))].filter((a) => a !== mail);

  const name = preferred(record, 'displayname') ?? preferred(record, 'cn');
  const displayName = name ? checked(record, name.line, () => normalizeDisplayName(text(record, name))) : login;

  let enabled = true;
  const flag = values(record, 'openclouduserenabled')[0] ?? values(record, 'ownclouduserenabled')[0];
  if (flag) {
    const v = text(record, flag).trim().toUpperCase();
    if (v !== 'TRUE' && v !== 'FALSE') throw new LdifError(flag.line, record.dn, `${flag.name} must be TRUE or FALSE`);
    enabled = v === 'TRUE';
  }
  if (values(record, 'pwdaccountlockedtime').some((a) => a.value.trim() === PERMANENTLY_LOCKED)) enabled = false;

  const addressLines = lineMap([...mails, ...addresses(record, 'mailalias')]);
  return { record, login, mail, aliases, displayName, enabled, passwordHash: password(record), id: uuid(record), addressLines };
}

function planGroup(record: LdifRecord): PlannedGroup {
  const leaf = leafRdn(record.dn);
  const cns = values(record, 'cn');
  const cn = cns.find((a) => leaf?.type === 'cn' && a.value.toLowerCase() === leaf.value.toLowerCase()) ?? cns[0];
  if (!cn) throw new LdifError(record.line, record.dn, 'a group needs a cn');
  const name = checked(record, cn.line, () => normalizeLogin(text(record, cn), 'group name'));
  const mails = addresses(record, 'mail');
  const mail = mails[0]?.address ?? null;
  const aliases = [...new Set([...mails.slice(1), ...addresses(record, 'mailalias')].map((m) => m.address))].filter((a) => a !== mail);
  if (!mail && aliases.length) throw new LdifError(record.line, record.dn, 'a group with mailAlias needs a mail');
  const desc = preferred(record, 'description');
  const description = desc ? checked(record, desc.line, () => normalizeDescription(text(record, desc))) : '';
  const members = new Map<string, { dn: string; key: string; line: number }>();
  for (const attr of [...values(record, 'member'), ...values(record, 'uniquemember')]) {
    // uniqueMember may carry an optional "#'0101'B" unique identifier; OpenCloud writes an empty member.
    const dn = text(record, attr).replace(/#'[01]*'B$/, '').trim();
    if (dn === '') continue;
    const key = checked(record, attr.line, () => normalizeDn(dn), `invalid ${attr.name} dn`);
    if (!members.has(key)) members.set(key, { dn, key, line: attr.line });
  }
  const addressLines = lineMap([...mails, ...addresses(record, 'mailalias')]);
  return { record, name, mail, aliases, description, id: uuid(record), addressLines, members: [...members.values()] };
}

/** Values of an attribute without language options (`;binary` is a transfer option and ignored). */
function values(record: LdifRecord, type: string): LdifAttribute[] {
  return record.attributes.filter((a) => a.type === type && a.options.every((o) => o === 'binary'));
}

/** The untagged value if there is one, else the first language-tagged one (displayName;lang-de). */
function preferred(record: LdifRecord, type: string): LdifAttribute | undefined {
  return values(record, type)[0] ?? record.attributes.find((a) => a.type === type);
}

function text(record: LdifRecord, attr: LdifAttribute): string {
  if (!attr.isText) throw new LdifError(attr.line, record.dn, `${attr.name} is not UTF-8 text`);
  return attr.value;
}

function addresses(record: LdifRecord, type: string): Array<{ address: string; line: number }> {
  return values(record, type).map((a) => ({ address: checked(record, a.line, () => normalizeAddress(text(record, a), a.name)), line: a.line }));
}

/** First line each address appears on. */
function lineMap(list: Array<{ address: string; line: number }>): Map<string, number> {
  const map = new Map<string, number>();
  for (const { address, line } of list) if (!map.has(address)) map.set(address, line);
  return map;
}

function uuid(record: LdifRecord): string | null {
  // openCloudUUID is what OpenCloud knows the account by; ownCloudUUID is oCIS's name for it.
  const attr = values(record, 'openclouduuid')[0] ?? values(record, 'ownclouduuid')[0] ?? values(record, 'entryuuid')[0];
  if (!attr) return null;
  const value = text(record, attr).trim();
  if (!UUID.test(value)) throw new LdifError(attr.line, record.dn, `${attr.name} "${value}" is not a UUID`);
  return value.toLowerCase();
}

function password(record: LdifRecord): string | null {
  const all = values(record, 'userpassword');
  const [attr, extra] = all;
  if (!attr) return null;
  if (extra) throw new LdifError(extra.line, record.dn, 'several userPassword values; only one can be imported');
  if (!attr.isText) throw new LdifError(attr.line, record.dn, `${attr.name} is not a text hash`);
  const hash = attr.value.trim();
  try {
    parseStoredHash(hash);
  } catch (error) {
    if (error instanceof UnsupportedHashError || error instanceof MalformedHashError) {
      const hint = /^\{/.test(hash) || hash.startsWith('$') ? '' : ' (clear-text passwords are not imported)';
      throw new LdifError(attr.line, record.dn, `${attr.name}: ${error.message}${hint}`);
    }
    throw error;
  }
  // {ARGON2}/{CRYPT} only wrap a modular crypt string: store it bare, as our own hashes are stored.
  return hash.replace(/\0+$/, '').replace(/^\{(?:ARGON2|CRYPT)\}(?=\$)/i, '');
}

/** Runs a validation, turning its error into one that names the record and line. */
function checked<T>(record: LdifRecord, line: number, fn: () => T, prefix?: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof LdifError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new LdifError(line, record.dn, prefix ? `${prefix}: ${message}` : message);
  }
}
