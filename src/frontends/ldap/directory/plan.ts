/**
 * Search planning: from a filter, the indexed look-ups that find every entry of a kind that can
 * match (mail=x → findUserByAddress, uid=x → findUserByLogin, member=dn → groupsOfUser, ...), so
 * hot searches (Stalwart's filterLogin and filterMailbox) never scan the store. The full filter
 * is still evaluated on each candidate; the plan only has to be a superset.
 */
import type { Filter } from '../protocol/index.js';
import { attributeKey } from './schema.js';
import { GROUP_CLASSES, SERVICE_CLASSES, USER_CLASSES } from './shape.js';

export type EntryKind = 'user' | 'group' | 'service';

/** An indexed look-up: by address, login/name, id, or relation to another entry's DN. */
export type LookupBy = 'address' | 'name' | 'id' | 'memberDn' | 'groupDn';

export interface Key {
  by: LookupBy;
  value: string;
}

/** all: no index narrows this kind (scan); keys: candidates are the union of these look-ups (empty: none). */
export type Plan = { all: true } | { all: false; keys: Key[] };

const ALL: Plan = { all: true };
const NONE: Plan = { all: false, keys: [] };
/** Beyond this many look-ups a scan is cheaper and keeps the work bounded. */
const MAX_KEYS = 256;

const INDEXES: Record<EntryKind, Record<string, LookupBy>> = {
  user: { mail: 'address', mailalias: 'address', uid: 'name', cn: 'name', entryuuid: 'id', openclouduuid: 'id', memberof: 'groupDn' },
  group: { cn: 'name', mail: 'address', mailalias: 'address', member: 'memberDn', entryuuid: 'id', openclouduuid: 'id' },
  service: { cn: 'name' },
};
const CLASSES: Record<EntryKind, ReadonlySet<string>> = {
  user: new Set(USER_CLASSES.map((c) => c.toLowerCase())),
  group: new Set(GROUP_CLASSES.map((c) => c.toLowerCase())),
  service: new Set(SERVICE_CLASSES.map((c) => c.toLowerCase())),
};

export type Plans = Record<EntryKind, Plan>;

const ALL_PLANS: Plans = { user: ALL, group: ALL, service: ALL };
/** A search plans each kind it covers (two or three per subtree search): every kind is planned in one walk of the filter. */
const planned = new WeakMap<Filter, Plans>();

export function planFor(filter: Filter, kind: EntryKind): Plan {
  let plans = planned.get(filter);
  if (!plans) planned.set(filter, (plans = plansFor(filter)));
  return plans[kind];
}

// Module-level helpers, no closures: a fresh filter is planned on every search.
function plansFor(filter: Filter): Plans {
  switch (filter.type) {
    case 'equality': {
      const attribute = attributeKey(filter.attribute);
      const value = filter.value.toString('utf8').trim().toLowerCase();
      if (attribute === 'objectclass') {
        return { user: CLASSES.user.has(value) ? ALL : NONE, group: CLASSES.group.has(value) ? ALL : NONE, service: CLASSES.service.has(value) ? ALL : NONE };
      }
      return { user: keyed(INDEXES.user[attribute], value), group: keyed(INDEXES.group[attribute], value), service: keyed(INDEXES.service[attribute], value) };
    }
    case 'and': {
      let user = ALL;
      let group = ALL;
      let service = ALL;
      for (const child of filter.filters) {
        const plans = plansFor(child);
        user = narrower(user, plans.user);
        group = narrower(group, plans.group);
        service = narrower(service, plans.service);
        if (isNone(user) && isNone(group) && isNone(service)) break;
      }
      return { user, group, service };
    }
    case 'or': {
      let user: Key[] | null = [];
      let group: Key[] | null = [];
      let service: Key[] | null = [];
      for (const child of filter.filters) {
        const plans = plansFor(child);
        user = union(user, plans.user);
        group = union(group, plans.group);
        service = union(service, plans.service);
        if (user === null && group === null && service === null) return ALL_PLANS;
      }
      return { user: ofKeys(user), group: ofKeys(group), service: ofKeys(service) };
    }
    default:
      // not, presence, substrings, ordering, extensible: no index; evaluated per candidate.
      return ALL_PLANS;
  }
}

function keyed(by: LookupBy | undefined, value: string): Plan {
  return by ? { all: false, keys: [{ by, value }] } : ALL;
}

/** For AND: the plan with fewer look-ups (any keyed plan beats a scan). */
function narrower(best: Plan, plan: Plan): Plan {
  return !plan.all && (best.all || plan.keys.length < best.keys.length) ? plan : best;
}

/** For OR: the keys so far plus the plan's; null (scan) once any child needs a scan or there are too many. */
function union(keys: Key[] | null, plan: Plan): Key[] | null {
  if (keys === null || plan.all) return null;
  for (const key of plan.keys) keys.push(key);
  return keys.length > MAX_KEYS ? null : keys;
}

function ofKeys(keys: Key[] | null): Plan {
  return keys === null ? ALL : { all: false, keys: dedupe(keys) };
}

function isNone(plan: Plan): boolean {
  return !plan.all && plan.keys.length === 0;
}

function dedupe(keys: Key[]): Key[] {
  if (keys.length < 2) return keys;
  if (keys.length > 16) {
    const seen = new Set<string>();
    return keys.filter((k) => {
      const id = `${k.by}\u0000${k.value}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  // A few keys (the usual OR of mail and alias): compared pairwise, no set or id strings.
  const out: Key[] = [];
  outer: for (const key of keys) {
    for (const k of out) if (k.by === key.by && k.value === key.value) continue outer;
    out.push(key);
  }
  return out;
}
