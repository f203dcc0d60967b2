/**
 * Settings of the web front end (admin UI, self-service, admin API), read from the `web` section
 * of the configuration (src/config/sections/web.ts holds the defaults); tests override any of them.
 */
import type { WebConfig } from '../../config/sections/web.js';

export interface WebOptions {
  /** A session unused this long ends. */
  idleTimeoutSeconds: number;
  /** A session ends this long after login, used or not. */
  absoluteTimeoutSeconds: number;
  /** 'auto': Secure cookies when the request came over TLS (directly or through a trusted proxy). */
  secureCookies: 'auto' | 'always' | 'never';
  /** Recent logins kept per account, and for how long. */
  loginHistoryPerUser: number;
  loginHistoryDays: number;
  /** The dashboard's ring buffer: bucket width and how many buckets. */
  statsBucketSeconds: number;
  statsBuckets: number;
  /** How often the live dashboard stream sends a snapshot. */
  streamIntervalMs: number;
  /** Reverse proxies (CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed. */
  trustedProxies: readonly string[];
  /** Where the UI assets are (the package's web/ folder). */
  assetsDir: string;
  /** Injected clock, so expiry is tested without sleeping. */
  now: () => number;
}

export function webOptionsFrom(config: WebConfig): Omit<WebOptions, 'assetsDir'> {
  return {
    idleTimeoutSeconds: config.session.idleTimeoutSeconds,
    absoluteTimeoutSeconds: config.session.absoluteTimeoutSeconds,
    secureCookies: config.secureCookies,
    loginHistoryPerUser: config.loginHistory.perUser,
    loginHistoryDays: config.loginHistory.retentionDays,
    statsBucketSeconds: config.dashboard.bucketSeconds,
    statsBuckets: config.dashboard.buckets,
    streamIntervalMs: config.dashboard.streamIntervalMs,
    trustedProxies: config.trustedProxies,
    now: () => Date.now(),
  };
}
