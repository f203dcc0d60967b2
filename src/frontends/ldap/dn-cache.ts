/**
 * Parsed DNs by their text. Binds and searches name the same DNs again and again (each user's bind
 * DN, the search base), and a Dn is immutable with its normalized form cached inside, so one
 * instance serves every request. Bounded: a client sending endless new DNs only evicts old ones.
 */
import { Dn } from './protocol/index.js';

const MAX_ENTRIES = 10_000;
const parsed = new Map<string, Dn>();

/** Dn.parse, remembered; throws DnSyntaxError like it (failures are not remembered). */
export function parseDn(text: string): Dn {
  let dn = parsed.get(text);
  if (dn === undefined) {
    dn = Dn.parse(text);
    if (parsed.size >= MAX_ENTRIES) {
      const oldest = parsed.keys().next();
      if (!oldest.done) parsed.delete(oldest.value);
    }
    parsed.set(text, dn);
  }
  return dn;
}
