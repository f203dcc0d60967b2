/**
 * Search: checks access, resolves the base, streams matching entries with backpressure and
 * honours the client's and the server's size and time limits (the smaller wins). The paged
 * results control hands over to paged.ts.
 */
import { viewerFor } from '../access.js';
import { DirectoryError, type SearchQuery, type StopSignal } from '../directory/directory.js';
import type { Entry } from '../directory/entry.js';
import { needsFor, parseSelection, selectAttributes, type Selection } from '../directory/select.js';
import {
  Dn,
  LdapCodecError,
  PAGED_RESULTS_OID,
  ResultCode,
  decodePagedResults,
  encodeMessageWithOp,
  encodeSearchResultEntryMessage,
  encodeSearchResultEntryOp,
  findControl,
  type SearchRequest,
} from '../protocol/index.js';
import type { OpContext, Reply } from '../session.js';
import { parseDn } from '../dn-cache.js';
import { pagedSearch } from './paged.js';
import { result } from './results.js';

/** Why a search stopped early; carried as the abort reason. */
export const TIME_LIMIT = Symbol('time limit');

export async function handleSearch(ctx: OpContext, op: SearchRequest): Promise<Reply | null> {
  const started = performance.now();
  const reply = await search(ctx, op);
  const code = reply ? (reply.op as { resultCode: number }).resultCode : -1;
  ctx.session.server.metrics.searchSeconds.observe((performance.now() - started) / 1000, String(code));
  const { log } = ctx.session.server.app;
  if (log.isLevelEnabled('debug')) log.debug({ event: 'ldap.search', base: op.baseObject, scope: op.scope, resultCode: code, ms: Math.round(performance.now() - started) }, 'ldap search');
  return reply;
}

async function search(ctx: OpContext, op: SearchRequest): Promise<Reply | null> {
  const { session } = ctx;
  const config = session.server.app.config.ldap;
  let base: Dn;
  try {
    base = parseDn(op.baseObject);
  } catch {
    return result('searchRequest', ResultCode.invalidDNSyntax, 'invalid base DN');
  }
  const viewer = viewerFor(session.identity, config);
  if (viewer.sees === 'public' && !session.server.directory.isPublic(base, op.scope)) {
    return result('searchRequest', ResultCode.insufficientAccessRights, 'bind as an account that may read the directory');
  }
  const selection = parseSelection(op.attributes);
  const query: Omit<SearchQuery, 'signal'> = { base, scope: op.scope, filter: op.filter, needs: needsFor(op.filter, selection), viewer };
  const timeLimitMs = Math.min(op.timeLimit > 0 ? op.timeLimit * 1000 : Infinity, config.timeLimitSeconds * 1000);

  const pagedControl = findControl(ctx.controls, PAGED_RESULTS_OID);
  if (pagedControl) {
    let paged;
    try {
      paged = decodePagedResults(pagedControl);
    } catch (err) {
      return result('searchRequest', err instanceof LdapCodecError ? err.resultCode : ResultCode.protocolError, 'malformed paged results control');
    }
    return pagedSearch(ctx, { query, paged, selection, typesOnly: op.typesOnly, sizeLimit: op.sizeLimit, timeLimitMs });
  }

  const sizeLimit = Math.min(op.sizeLimit > 0 ? op.sizeLimit : Infinity, config.sizeLimit);
  // One stop for both causes (time limit, abandon/disconnect), without an AbortController (~3 µs each) or timer per search.
  const signal = new SearchStop(ctx.stop, timeLimitMs);
  let sent = 0;
  try {
    for await (const entry of session.server.directory.search({ ...query, signal })) {
      signal.throwIfAborted();
      if (sent >= sizeLimit) return result('searchRequest', ResultCode.sizeLimitExceeded, `more than ${sizeLimit} entries`);
      await sendEntry(ctx, entry, selection, op.typesOnly);
      sent++;
    }
    return result('searchRequest', ResultCode.success);
  } catch (err) {
    return searchFailure(ctx, err, signal);
  }
}

/**
 * The operation's signal plus the time limit: aborted when either is, with the reason of whichever
 * was seen first (TIME_LIMIT for the limit). Polled, like an AbortSignal, between candidates and
 * entries; the limit is a deadline read at each poll, not a timer (one less per search).
 */
class SearchStop implements StopSignal {
  private timedOut = false;
  private readonly deadline: number;

  constructor(
    private readonly op: StopSignal,
    timeLimitMs: number,
  ) {
    this.deadline = performance.now() + timeLimitMs;
  }

  get aborted(): boolean {
    if (this.timedOut || this.op.aborted) return true;
    if (performance.now() >= this.deadline) this.timedOut = true;
    return this.timedOut;
  }

  get reason(): unknown {
    return this.timedOut ? TIME_LIMIT : this.op.reason;
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}

/** Remembered entries (entry-memo.ts) keep their encoded protocolOp for the last selection they were sent with. */
export async function sendEntry(ctx: OpContext, entry: Entry, selection: Selection, typesOnly: boolean): Promise<void> {
  const kept = entry.kept;
  if (kept === undefined) {
    await ctx.session.write(encodeSearchResultEntryMessage(ctx.messageId, entry.dn, selectAttributes(entry, selection, typesOnly)));
    return;
  }
  const key = typesOnly ? `t${selection.signature}` : selection.signature;
  if (kept.op === null || kept.key !== key) {
    kept.op = encodeSearchResultEntryOp(entry.dn, selectAttributes(entry, selection, typesOnly));
    kept.key = key;
  }
  await ctx.session.write(encodeMessageWithOp(ctx.messageId, kept.op));
}

/** Maps what stopped a search to its answer; null when abandoned (no answer is sent). */
export function searchFailure(ctx: OpContext, err: unknown, signal: StopSignal): Reply | null {
  if (err instanceof DirectoryError) return result('searchRequest', err.resultCode, err.message, err.matchedDN);
  if (signal.aborted && signal.reason === TIME_LIMIT) return result('searchRequest', ResultCode.timeLimitExceeded, 'time limit exceeded');
  if (ctx.stop.aborted) return null;
  throw err;
}
