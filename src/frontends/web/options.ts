/**
 * Settings of the web front end (admin UI, self-service, admin API). There is no `web` section in
 * the configuration schema yet, so these defaults apply; tests pass their own.
 */
export interface WebOptions {
  /** A session unused this long ends. */
  idleTimeoutSeconds: number;
  /** A session ends this long after login, used or not. */
  absoluteTimeoutSeconds: number;
  /** 'auto': Secure cookies when the request came over TLS. */
  secureCookies: 'auto' | 'always' | 'never';
  /** Recent logins kept per account, and for how long. */
  loginHistoryPerUser: number;
  loginHistoryDays: number;
  /** The dashboard's ring buffer: bucket width and how many buckets. */
  statsBucketSeconds: number;
  statsBuckets: number;
  /** How often the live dashboard stream sends a snapshot. */
  streamIntervalMs: number;
  /** Where the UI assets are (the package's web/ folder). */
  assetsDir: string;
  /** Injected clock, so expiry is tested without sleeping. */
  now: () => number;
}

export const DEFAULT_WEB_OPTIONS: Omit<WebOptions, 'assetsDir'> = {
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 12 * 3600,
  secureCookies: 'auto',
  loginHistoryPerUser: 50,
  loginHistoryDays: 30,
  statsBucketSeconds: 10,
  statsBuckets: 360,
  streamIntervalMs: 2000,
  now: () => Date.now(),
};
