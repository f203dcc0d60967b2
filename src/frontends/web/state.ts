/**
 * What the web front end keeps per App: its store, sessions, the live dashboard counts and the
 * recent-login log. Built once per App (several HTTP servers on one App share it), with its
 * observers attached to the pipeline and its housekeeping timer stopped when the App closes.
 */
import { fileURLToPath } from 'node:url';
import type { App } from '../../app.js';
import { DetectionGuard } from '../../guard/guard.js';
import type { GuardAdmin } from '../../guard/admin.js';
import { webStoreOf, type WebStore } from '../../store/web-store.js';
import { LoginCsrf } from './csrf.js';
import { LiveStats } from './live-stats.js';
import { LoginHistory } from './login-history.js';
import { ClientAddresses } from './client-address.js';
import { webOptionsFrom, type WebOptions } from './options.js';
import { SessionManager } from './sessions.js';
import { WebCookies } from './web-cookies.js';

export interface WebState {
  app: App;
  options: WebOptions;
  web: WebStore;
  sessions: SessionManager;
  cookies: WebCookies;
  /** Who the client is behind the trusted reverse proxies. */
  addresses: ClientAddresses;
  loginCsrf: LoginCsrf;
  stats: LiveStats;
  history: LoginHistory;
  /** The guard's admin operations, or null when the running guard has none (detection off). */
  guardAdmin: GuardAdmin | null;
}

const HOUSEKEEPING_MS = 10 * 60_000;
const states = new WeakMap<App, WebState>();

export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

export function webStateOf(app: App, overrides: Partial<WebOptions> = {}): WebState {
  const existing = states.get(app);
  if (existing) return existing;
  const options: WebOptions = { ...webOptionsFrom(app.config.web), assetsDir: DEFAULT_ASSETS_DIR, ...overrides };
  const web = webStoreOf(app.store);
  const onError = (err: unknown): void => app.log.warn({ event: 'web.background-failed', err }, 'web background task failed');
  const state: WebState = {
    app,
    options,
    web,
    sessions: new SessionManager(web, app.store, options),
    cookies: new WebCookies(options),
    addresses: new ClientAddresses(options.trustedProxies),
    loginCsrf: new LoginCsrf(app.keyed),
    stats: new LiveStats({
      bucketSeconds: options.statsBucketSeconds,
      buckets: options.statsBuckets,
      networkPrefix: app.config.guard.networkPrefix,
      now: options.now,
    }),
    history: new LoginHistory(web, app.store, {
      keepPerUser: options.loginHistoryPerUser,
      masterSeparator: app.config.auth.masterSeparator,
      now: options.now,
      onError,
    }),
    guardAdmin: guardAdminOf(app),
  };
  const detach = [app.observers.add(state.stats), app.observers.add(state.history)];
  // The dashboard shows the node: in a cluster, every worker's buckets are gathered and added up.
  app.processes.provide('live-stats', (windowSeconds) => state.stats.exportBuckets(typeof windowSeconds === 'number' ? windowSeconds : undefined));
  const timer = setInterval(() => void housekeeping(state).catch(onError), HOUSEKEEPING_MS);
  timer.unref();
  app.onClose(async () => {
    clearInterval(timer);
    for (const d of detach) d();
    await state.history.flush();
  });
  states.set(app, state);
  return state;
}

/** Expired sessions and login records past their retention are deleted. */
export async function housekeeping(state: WebState): Promise<void> {
  await state.sessions.prune();
  await state.web.pruneLogins(new Date(state.options.now() - state.options.loginHistoryDays * 86_400_000));
}

/** The app's guard admin; a detection guard passed in as an override (tests) has its own. */
function guardAdminOf(app: App): GuardAdmin | null {
  return app.guardAdmin ?? (app.guard instanceof DetectionGuard ? app.guard.admin : null);
}
