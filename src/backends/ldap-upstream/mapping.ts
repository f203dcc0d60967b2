/**
 * An upstream entry as an account: attribute names matched case-insensitively, the enabled flag
 * (OpenCloud's openCloudUserEnabled, AD's userAccountControl bit 2), a binary objectGUID as a UUID,
 * and a password version from any attribute that changes with the password.
 */
import { createHash } from 'node:crypto';
import type { Entry } from 'ldapts';
import type { LdapUpstreamConfig } from '../../config/sections/backends.js';
import type { BackendAccount } from '../api.js';
import { firstRdnValue } from './escape.js';

type Attrs = Pick<LdapUpstreamConfig, 'attributes' | 'groups' | 'enabled'>;

/** The attributes a user search asks for. */
export function requestedAttributes(c: Attrs): string[] {
  const a = c.attributes;
  const names = [a.login, a.mail, a.displayName, 'cn', a.id, a.aliases, a.passwordVersion, c.enabled?.attribute];
  if (c.groups.source === 'memberOf') names.push(c.groups.memberOfAttribute);
  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}

/** Binary attributes ldapts must hand over as buffers. */
export function binaryAttributes(c: Attrs): string[] {
  return c.attributes.id.toLowerCase() === 'objectguid' ? [c.attributes.id] : [];
}

/** Values of an attribute, whatever case the server used for its name. */
export function values(entry: Entry, name: string): Array<string | Buffer> {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(entry)) {
    if (key.toLowerCase() !== wanted || key === 'dn') continue;
    return Array.isArray(value) ? value : [value];
  }
  return [];
}

function strings(entry: Entry, name: string | undefined): string[] {
  return name ? values(entry, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)) : [];
}

export function toBackendAccount(entry: Entry, c: Attrs, groups: string[] | null): BackendAccount | null {
  const login = strings(entry, c.attributes.login)[0];
  if (!login) return null;
  const mails = strings(entry, c.attributes.mail);
  const id = idOf(values(entry, c.attributes.id)[0]);
  const version = strings(entry, c.attributes.passwordVersion)[0];
  return {
    login,
    ...(id ? { id } : {}),
    mail: mails[0] ?? null,
    aliases: [...mails.slice(1), ...strings(entry, c.attributes.aliases)],
    displayName: strings(entry, c.attributes.displayName)[0] ?? strings(entry, 'cn')[0] ?? login,
    groups: groups ?? (c.groups.source === 'memberOf' ? strings(entry, c.groups.memberOfAttribute).map(firstRdnValue) : []),
    enabled: enabledOf(entry, c.enabled),
    ...(version !== undefined ? { passwordVersion: versionOf(version) } : {}),
  };
}

function enabledOf(entry: Entry, flag: Attrs['enabled']): boolean {
  if (!flag) return true;
  const value = strings(entry, flag.attribute)[0];
  if (value === undefined) return true; // no flag set: OpenCloud and AD treat the account as enabled
  if (flag.type === 'ad-disabled-bit') return (Number(value) & 0x2) === 0;
  return value.trim().toUpperCase() !== 'FALSE';
}

/** objectGUID is 16 bytes, the first three fields little-endian; text ids are kept as they are. */
function idOf(value: string | Buffer | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Buffer.isBuffer(value)) return value.trim().toLowerCase() || undefined;
  if (value.length !== 16) return value.toString('hex') || undefined;
  const b = value;
  const hex = (bytes: number[]) => bytes.map((i) => (b[i] ?? 0).toString(16).padStart(2, '0')).join('');
  return `${hex([3, 2, 1, 0])}-${hex([5, 4])}-${hex([7, 6])}-${hex([8, 9])}-${hex([10, 11, 12, 13, 14, 15])}`;
}

/** Any value that changes with the password (a timestamp, a counter) becomes a comparable number. */
function versionOf(value: string): number {
  return parseInt(createHash('sha256').update(value).digest('hex').slice(0, 12), 16);
}
