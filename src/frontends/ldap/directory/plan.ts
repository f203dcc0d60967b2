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

export function planFor(filter: Filter, kind: EntryKind): Plan {
  switch (filter.type) {
    case 'equality': {
      const attribute = attributeKey(filter.attribute);
      const value = filter.value.toString('utf8').trim().toLowerCase();
      if (attribute === 'objectclass') return CLASSES[kind].has(value) ? ALL : NONE;
      const by = INDEXES[kind][attribute];
      return by ? { all: false, keys: [{ by, value }] } : ALL;
    }
    case 'and': {
      let best: Plan = ALL;
      for (const child of filter.filters) {
        const plan = planFor(child, kind);
        if (!plan.all && (best.all || plan.keys.length < best.keys.length)) best = plan;
        if (!best.all && best.keys.length === 0) return NONE;
      }
      return best;
    }
    case 'or': {
      const keys: Key[] = [];
      for (const child of filter.filters) {
        const plan = planFor(child, kind);
        if (plan.all) return ALL;
        keys.push(...plan.keys);
        if (keys.length > MAX_KEYS) return ALL;
      }
      return { all: false, keys: dedupe(keys) };
    }
    default:
      // not, presence, substrings, ordering, extensible: no index; evaluated per candidate.
      return ALL;
  }
}

function dedupe(keys: Key[]): Key[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.by}\u0000${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
