/** The trusted issuers, read from the store and re-read after a short TTL so CLI changes take effect. */
import type { TrustedIssuer } from '../../identity/model.js';

export interface IssuerSource {
  listTrustedIssuers(): Promise<TrustedIssuer[]>;
}

export class IssuerDirectory {
  private issuers: TrustedIssuer[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<TrustedIssuer[]> | null = null;

  constructor(
    private readonly source: IssuerSource,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The enabled issuers as last read; starts a background refresh when stale. Never waits. */
  snapshot(): readonly TrustedIssuer[] {
    if (this.stale()) void this.current().catch(() => undefined);
    return this.issuers;
  }

  /** The enabled issuers, re-read when stale. A failed read keeps the previous list. */
  async current(): Promise<readonly TrustedIssuer[]> {
    if (!this.stale()) return this.issuers;
    this.loading ??= this.source
      .listTrustedIssuers()
      .then((all) => {
        this.issuers = all.filter((i) => i.enabled);
        this.loadedAt = this.now();
        return this.issuers;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  byIssuer(iss: string, list: readonly TrustedIssuer[] = this.issuers): TrustedIssuer | undefined {
    return list.find((i) => i.issuer === iss);
  }

  private stale(): boolean {
    return this.now() - this.loadedAt >= this.ttlMs;
  }
}
