/** The directory's naming layout: where users, groups and service accounts live under the base DN. */
import { Dn, escapeDnValue, normalizeType } from '../protocol/index.js';

export type Container = 'users' | 'groups' | 'services';
export const CONTAINERS: readonly Container[] = ['users', 'groups', 'services'];

/** What a DN names in this directory. */
export type Located =
  | { kind: 'root' }
  | { kind: 'subschema' }
  | { kind: 'base' }
  | { kind: 'container'; container: Container }
  | { kind: 'user'; login: string }
  | { kind: 'group'; name: string }
  | { kind: 'service'; name: string }
  /** Below the base but naming nothing we serve: noSuchObject, matchedDN = `matched`. */
  | { kind: 'missing'; matched: string }
  | { kind: 'outside' };

export const SUBSCHEMA_DN = 'cn=Subschema';
const subschema = Dn.parse(SUBSCHEMA_DN);
const NAMING: Record<Container, string> = { users: 'uid', groups: 'cn', services: 'cn' };

export class DirectoryNames {
  readonly base: Dn;
  /** The base DN as configured, used verbatim in every DN we print. */
  readonly baseText: string;
  private readonly containers: Record<Container, Dn>;

  constructor(baseDn: string) {
    this.base = Dn.parse(baseDn);
    this.baseText = this.base.toString();
    this.containers = {
      users: Dn.parse(this.containerDn('users')),
      groups: Dn.parse(this.containerDn('groups')),
      services: Dn.parse(this.containerDn('services')),
    };
  }

  containerDn(container: Container): string {
    return `ou=${container},${this.baseText}`;
  }

  userDn(login: string): string {
    return `uid=${escapeDnValue(login)},ou=users,${this.baseText}`;
  }

  groupDn(name: string): string {
    return `cn=${escapeDnValue(name)},ou=groups,${this.baseText}`;
  }

  serviceDn(name: string): string {
    return `cn=${escapeDnValue(name)},ou=services,${this.baseText}`;
  }

  /** Classifies a parsed DN (case-insensitively, as LDAP compares names). */
  locate(dn: Dn): Located {
    if (dn.isRoot) return { kind: 'root' };
    if (dn.equals(subschema)) return { kind: 'subschema' };
    if (dn.equals(this.base)) return { kind: 'base' };
    if (!dn.isDescendantOf(this.base)) return { kind: 'outside' };
    for (const container of CONTAINERS) {
      const parent = this.containers[container];
      if (dn.equals(parent)) return { kind: 'container', container };
      if (dn.isChildOf(parent)) return this.leaf(dn, container);
      if (dn.isDescendantOf(parent)) return { kind: 'missing', matched: this.containerDn(container) };
    }
    return { kind: 'missing', matched: this.baseText };
  }

  private leaf(dn: Dn, container: Container): Located {
    const rdn = dn.rdn;
    const ava = rdn?.length === 1 ? rdn[0] : undefined;
    if (!ava || normalizeType(ava.type) !== NAMING[container]) return { kind: 'missing', matched: this.containerDn(container) };
    const value = ava.value.trim().toLowerCase();
    if (container === 'users') return { kind: 'user', login: value };
    if (container === 'groups') return { kind: 'group', name: value };
    return { kind: 'service', name: value };
  }
}
