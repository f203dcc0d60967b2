/**
 * At most one last-use write per app password per window, for each process: a phone that logs
 * in every few seconds (IMAP, SMTP, CalDAV polling) need not write on every login. A use is
 * written at once when it is the first this process sees of that app password, or comes by
 * another protocol or from another address than the last one written; otherwise when the window
 * since that write is over. The last use shown is then exact in protocol and address, and at most
 * one window early in time.
 */
import type { AppPasswordUse } from './store.js';

interface Written {
  at: number;
  protocol: string;
  ip: string | null;
}

export class LastUseCoalescer {
  /** By app-password id, in order of last write (re-inserted on each): the first is the oldest. */
  private readonly written = new Map<string, Written>();

  constructor(
    readonly windowMs = 60_000,
    private readonly maxTracked = 100_000,
  ) {}

  /** True when this use should be written; it is then counted as written (see failed()). */
  due(id: string, use: AppPasswordUse): boolean {
    const at = use.at.getTime();
    this.prune(at);
    const last = this.written.get(id);
    if (last && last.protocol === use.protocol && last.ip === use.ip && at - last.at < this.windowMs && at >= last.at) return false;
    this.written.delete(id);
    this.written.set(id, { at, protocol: use.protocol, ip: use.ip });
    return true;
  }

  /** The write did not happen: the next use is written again. */
  failed(id: string): void {
    this.written.delete(id);
  }

  get size(): number {
    return this.written.size;
  }

  /** Entries past the window decide nothing any more; the map also stays bounded. */
  private prune(now: number): void {
    for (const [id, w] of this.written) {
      if (now - w.at < this.windowMs && this.written.size < this.maxTracked) break;
      this.written.delete(id);
    }
  }
}
