/** A local table of ban and allow entries with O(prefix lengths) look-ups: exact address, CIDR, login, ip+login. */
import { networkOf, parseCidr, parseIp } from '../net.js';
import type { ListEntry, ListName } from './state.js';

export class EntryTable {
  private readonly byId = new Map<string, ListEntry>();
  /** "ban|4|24" → how many CIDR entries of that list, family and length exist. */
  private readonly prefixes = new Map<string, number>();
  /** Entries per list: most logins meet an empty allow-list and few bans, answered without building keys. */
  private readonly perList: Record<ListName, number> = { ban: 0, allow: 0 };

  get size(): number {
    return this.byId.size;
  }

  set(entry: ListEntry): void {
    this.delete(entry.id);
    this.byId.set(entry.id, entry);
    this.perList[entry.list]++;
    const p = this.prefixKey(entry);
    if (p) this.prefixes.set(p, (this.prefixes.get(p) ?? 0) + 1);
  }

  delete(id: string): ListEntry | undefined {
    const old = this.byId.get(id);
    if (!old) return undefined;
    this.byId.delete(id);
    this.perList[old.list]--;
    const p = this.prefixKey(old);
    if (p) {
      const n = (this.prefixes.get(p) ?? 1) - 1;
      if (n <= 0) this.prefixes.delete(p);
      else this.prefixes.set(p, n);
    }
    return old;
  }

  get(id: string, nowMs: number): ListEntry | null {
    const e = this.byId.get(id);
    if (!e) return null;
    if (e.expiresAt !== null && e.expiresAt <= nowMs) {
      this.delete(id);
      return null;
    }
    return e;
  }

  clear(): void {
    this.byId.clear();
    this.prefixes.clear();
    this.perList.ban = this.perList.allow = 0;
  }

  /** The most specific live entry: ip+login, exact address, then CIDRs from the longest prefix, then login. */
  find(list: ListName, ip: string | null, login: string | null, nowMs: number): ListEntry | null {
    if (this.perList[list] === 0) return null;
    if (ip !== null) {
      if (login !== null) {
        const pair = this.get(`${list}:iplogin:${ip}|${login}`, nowMs);
        if (pair) return pair;
      }
      const exact = this.get(`${list}:ip:${ip}`, nowMs);
      if (exact) return exact;
      const cidr = this.findCidr(list, ip, nowMs);
      if (cidr) return cidr;
    }
    return login !== null ? this.get(`${list}:login:${login}`, nowMs) : null;
  }

  live(nowMs: number): ListEntry[] {
    const out: ListEntry[] = [];
    for (const e of [...this.byId.values()]) {
      if (e.expiresAt !== null && e.expiresAt <= nowMs) this.delete(e.id);
      else out.push(e);
    }
    return out;
  }

  private findCidr(list: ListName, ip: string, nowMs: number): ListEntry | null {
    if (this.prefixes.size === 0) return null;
    const parsed = parseIp(ip);
    if (!parsed) return null;
    const candidates: number[] = [];
    for (const key of this.prefixes.keys()) {
      const [l, fam, bits] = key.split('|');
      if (l === list && Number(fam) === parsed.family) candidates.push(Number(bits));
    }
    candidates.sort((a, b) => b - a);
    for (const bits of candidates) {
      const hit = this.get(`${list}:cidr:${networkOf(parsed, bits)}`, nowMs);
      if (hit) return hit;
    }
    return null;
  }

  private prefixKey(e: ListEntry): string | null {
    if (e.target.kind !== 'cidr') return null;
    const c = parseCidr(e.target.cidr);
    return c ? `${e.list}|${c.family}|${c.bits}` : null;
  }
}

/**
 * The list half of a GuardState, answered locally from an EntryTable: the memory state's own, or
 * the copy a Redis node or a cluster worker keeps of the shared lists.
 */
export abstract class LocalLists {
  protected readonly table = new EntryTable();

  find(list: ListName, ip: string | null, login: string | null, nowMs: number): ListEntry | null {
    return this.table.find(list, ip, login, nowMs);
  }

  get(id: string, nowMs: number): ListEntry | null {
    return this.table.get(id, nowMs);
  }

  entries(nowMs: number): ListEntry[] {
    return this.table.live(nowMs);
  }

  /** Live bans and allow entries, for stats(). */
  protected listCounts(nowMs: number): { bans: number; allows: number } {
    const live = this.table.live(nowMs);
    const bans = live.filter((e) => e.list === 'ban').length;
    return { bans, allows: live.length - bans };
  }
}
