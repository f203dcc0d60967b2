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

const KINDS: readonly EntryKind[] = ['user', 'group', 'service'];
const ALL_PLANS: Plans = { user: ALL, group: ALL, service: ALL };
/** A search plans each kind it covers (two or three per subtree search): every kind is planned in one walk of the filter. */
const planned = new WeakMap<Filter, Plans>();

export function planFor(filter: Filter, kind: EntryKind): Plan {
  let plans = planned.get(filter);
  if (!plans) planned.set(filter, (plans = plansFor(filter)));
  return plans[kind];
}

function plansFor(filter: Filter): Plans {
  switch (filter.type) {
    case 'equality': {
      const attribute = attributeKey(filter.attribute);
      const value = filter.value.toString('utf8').trim().toLowerCase();
      if (attribute === 'objectclass') {
        return { user: CLASSES.user.has(value) ? ALL : NONE, group: CLASSES.group.has(value) ? ALL : NONE, service: CLASSES.service.has(value) ? ALL : NONE };
      }
      const keyed = (kind: EntryKind): Plan => {
        const by = INDEXES[kind][attribute];
        return by ? { all: false, keys: [{ by, value }] } : ALL;
      };
      return { user: keyed('user'), group: keyed('group'), service: keyed('service') };
    }
    case 'and': {
      const best: Plans = { ...ALL_PLANS };
      for (const child of filter.filters) {
        const plans = plansFor(child);
        for (const kind of KINDS) {
          const plan = plans[kind];
          const current = best[kind];
          if (!plan.all && (current.all || plan.keys.length < current.keys.length)) best[kind] = plan;
        }
        if (KINDS.every((kind) => isNone(best[kind]))) return best;
      }
      return best;
    }
    case 'or': {
      const keys: Record<EntryKind, Key[] | null> = { user: [], group: [], service: [] };
      for (const child of filter.filters) {
        const plans = plansFor(child);
        for (const kind of KINDS) {
          const list = keys[kind];
          if (list === null) continue;
          const plan = plans[kind];
          if (plan.all) keys[kind] = null;
          else {
            list.push(...plan.keys);
            if (list.length > MAX_KEYS) keys[kind] = null;
          }
        }
        if (KINDS.every((kind) => keys[kind] === null)) return ALL_PLANS;
      }
      const plan = (list: Key[] | null): Plan => (list === null ? ALL : { all: false, keys: dedupe(list) });
      return { user: plan(keys.user), group: plan(keys.group), service: plan(keys.service) };
    }
    default:
      // not, presence, substrings, ordering, extensible: no index; evaluated per candidate.
      return ALL_PLANS;
  }
}

function isNone(plan: Plan): boolean {
  return !plan.all && plan.keys.length === 0;
}

function dedupe(keys: Key[]): Key[] {
  if (keys.length < 2) return keys;
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.by}\u0000${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
