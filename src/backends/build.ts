/**
 * Builds the backend chain from the `backends` configuration: each upstream (LDAP, HTTP delegate,
 * customer module) wrapped in the adapter, the default order and the per-domain routes. Anything
 * misconfigured stops start-up here with a message naming the configuration key.
 */
import type { Registry } from 'prom-client';
import type { BackendsConfig, UpstreamConfig } from '../config/sections/backends.js';
import type { IdentityService } from '../identity/service.js';
import type { Attempt } from '../pipeline/attempt.js';
import { BackendChain } from '../pipeline/backend-chain.js';
import type { AuthBackend } from '../pipeline/ports.js';
import type { Logger } from '../telemetry/logger.js';
import { CustomerBackendAdapter } from './adapter/adapter.js';
import { AppPasswordSupport } from './adapter/app-passwords.js';
import { BackendMetrics } from './adapter/metrics.js';
import type { CustomerBackend } from './api.js';
import { BackendConfigError } from './errors.js';
import { HttpDelegate } from './http-delegate/http-backend.js';
import { LdapUpstream } from './ldap-upstream/ldap-backend.js';
import { loadCustomerModule } from './modules/load-module.js';
import { ShadowRecords } from './shadow/shadow-records.js';

export interface BuildDeps {
  local: AuthBackend;
  identity: IdentityService;
  log: Logger;
  registry: Registry;
  looksLikeAppPassword: (secret: string) => boolean;
  onAppPasswordUsed: (id: string, attempt: Attempt) => void;
  /** Backends given in code (tests, embedders): appended to the default order. */
  extra?: AuthBackend[];
  /** Where relative module paths are resolved. */
  cwd?: string;
}

export async function buildBackendChain(config: BackendsConfig, deps: BuildDeps): Promise<BackendChain> {
  const built: CustomerBackendAdapter[] = [];
  try {
    if (config.upstreams.length > 0) {
      const metrics = new BackendMetrics(deps.registry);
      const shadows = new ShadowRecords(deps.identity, deps.log);
      for (const [i, upstream] of config.upstreams.entries()) {
        const key = `backends.upstreams[${i}]`;
        const log = deps.log.child({ backend: upstream.name });
        const appPasswords = upstream.appPasswords
          ? new AppPasswordSupport({ store: deps.identity.store, shadows, looksLikeAppPassword: deps.looksLikeAppPassword, onUsed: deps.onAppPasswordUsed, log })
          : null;
        const backend = await customerBackend(upstream, key, deps);
        built.push(new CustomerBackendAdapter({ name: upstream.name, backend, timeoutMs: upstream.timeoutMs, cacheSeconds: upstream.cacheSeconds, breaker: upstream.breaker, metrics, log, appPasswords }));
      }
    }
    return assemble(config, [deps.local, ...built], deps.extra ?? []);
  } catch (err) {
    for (const adapter of built) await adapter.close().catch(() => undefined);
    throw err;
  }
}

function customerBackend(upstream: UpstreamConfig, key: string, deps: BuildDeps): CustomerBackend | Promise<CustomerBackend> {
  switch (upstream.type) {
    case 'ldap':
      return new LdapUpstream(upstream, key);
    case 'http':
      return new HttpDelegate(upstream);
    case 'module':
      return loadCustomerModule(upstream, key, deps.log, deps.cwd);
  }
}

function assemble(config: BackendsConfig, backends: AuthBackend[], extra: AuthBackend[]): BackendChain {
  const byName = new Map(backends.map((b) => [b.name, b]));
  const pick = (names: string[], key: string) =>
    names.map((name, i) => {
      const backend = byName.get(name);
      if (!backend) throw new BackendConfigError(`${key}[${i}]`, `unknown backend ${name}`);
      return backend;
    });
  const order = [...pick(config.order, 'backends.order'), ...extra.filter((b) => !config.order.includes(b.name))];
  const routes = new Map(Object.entries(config.routes).map(([domain, names]) => [domain.toLowerCase(), pick(names, `backends.routes.${domain}`)]));
  return new BackendChain(order, routes);
}
