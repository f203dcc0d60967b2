/**
 * Simple Paged Results (RFC 2696), as Keycloak and SSSD use it. A paged search keeps its entry
 * iterator on the connection between pages under a random cookie; the server's size cap applies
 * per page, the client's sizeLimit to the whole search, the time limit per page.
 */
import { randomBytes } from 'node:crypto';
import type { Entry } from '../directory/entry.js';
import type { SearchQuery } from '../directory/directory.js';
import type { Selection } from '../directory/select.js';
import { ResultCode, encodePagedResults, type PagedResults } from '../protocol/index.js';
import type { OpContext, Reply } from '../session.js';
import { result } from './results.js';
import { searchFailure, sendEntry } from './search.js';

interface PagedState {
  iterator: AsyncIterator<Entry>;
  /** The entry read ahead to learn whether another page exists. */
  next: Entry | undefined;
  sent: number;
  /** Stops the iterator's store scan when the search is dropped. */
  controller: AbortController;
}

/** The paged searches one connection keeps open; the oldest is dropped beyond the cap. */
export class PagedSearches {
  private readonly states = new Map<string, PagedState>();

  constructor(private readonly max: number) {}

  get(cookie: string): PagedState | undefined {
    return this.states.get(cookie);
  }

  add(state: PagedState): string {
    const cookie = randomBytes(12).toString('hex');
    this.states.set(cookie, state);
    while (this.states.size > this.max) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    return cookie;
  }

  drop(cookie: string): void {
    const state = this.states.get(cookie);
    if (!state) return;
    this.states.delete(cookie);
    state.controller.abort();
    void state.iterator.return?.().catch(() => undefined);
  }

  clear(): void {
    for (const cookie of [...this.states.keys()]) this.drop(cookie);
  }
}

export interface PagedRequest {
  query: Omit<SearchQuery, 'signal'>;
  paged: PagedResults;
  selection: Selection;
  typesOnly: boolean;
  sizeLimit: number;
  timeLimitMs: number;
}

export async function pagedSearch(ctx: OpContext, req: PagedRequest): Promise<Reply | null> {
  const { session } = ctx;
  const pages = session.paged;
  let cookie = req.paged.cookie.length > 0 ? req.paged.cookie.toString('latin1') : undefined;
  let state = cookie === undefined ? undefined : pages.get(cookie);
  if (cookie !== undefined && !state) return result('searchRequest', ResultCode.unwillingToPerform, 'unknown or expired paged results cookie');
  if (req.paged.size === 0) {
    // A size of 0 ends the paged search (RFC 2696 §3).
    if (cookie !== undefined) pages.drop(cookie);
    return done(ResultCode.success);
  }
  if (!state) {
    const controller = new AbortController();
    const iterator = session.server.directory.search({ ...req.query, signal: controller.signal })[Symbol.asyncIterator]();
    state = { iterator, next: undefined, sent: 0, controller };
    cookie = pages.add(state);
  }
  const pageSize = Math.min(req.paged.size, session.server.app.config.ldap.sizeLimit);
  const sizeLimit = req.sizeLimit > 0 ? req.sizeLimit : Infinity;
  const started = Date.now();
  const currentCookie = cookie as string;
  try {
    let inPage = 0;
    for (;;) {
      const entry = state.next ?? (await pull(state));
      state.next = undefined;
      if (!entry) {
        pages.drop(currentCookie);
        return done(ResultCode.success);
      }
      if (ctx.stop.aborted) throw ctx.stop.reason;
      if (state.sent >= sizeLimit) {
        pages.drop(currentCookie);
        return done(ResultCode.sizeLimitExceeded, `more than ${sizeLimit} entries`);
      }
      if (inPage >= pageSize) {
        state.next = entry;
        return done(ResultCode.success, '', currentCookie);
      }
      if (Date.now() - started > req.timeLimitMs) {
        pages.drop(currentCookie);
        return done(ResultCode.timeLimitExceeded, 'time limit exceeded');
      }
      await sendEntry(ctx, entry, req.selection, req.typesOnly);
      state.sent++;
      inPage++;
    }
  } catch (err) {
    pages.drop(currentCookie);
    return searchFailure(ctx, err, ctx.stop);
  }
}

async function pull(state: PagedState): Promise<Entry | undefined> {
  const next = await state.iterator.next();
  return next.done ? undefined : next.value;
}

function done(code: number, diagnostic = '', cookie?: string): Reply {
  const reply = result('searchRequest', code, diagnostic);
  reply.controls = [encodePagedResults({ size: 0, cookie: cookie === undefined ? Buffer.alloc(0) : Buffer.from(cookie, 'latin1') })];
  return reply;
}
