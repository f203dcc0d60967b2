/** LDAP front-end metrics (portcullis_ldap_*), registered once per registry. Per-operation ones are hot metrics (no label hashing per call). */
import { Counter, Gauge, type Registry } from 'prom-client';
import { HotCounter, HotHistogram } from '../../telemetry/hot-metrics.js';

export class LdapMetrics {
  readonly connections: Gauge<'transport'>;
  readonly connectionsTotal: Counter<'result'>;
  readonly operations: HotCounter<'op' | 'result'>;
  readonly searchSeconds: HotHistogram<'result'>;

  private constructor(registry: Registry) {
    this.connections = new Gauge({
      name: 'portcullis_ldap_connections',
      help: 'Open LDAP connections by transport (plain, tls)',
      labelNames: ['transport'] as const,
      registers: [registry],
    });
    this.connectionsTotal = new Counter({
      name: 'portcullis_ldap_connections_total',
      help: 'LDAP connections accepted, or refused because maxConnections was reached',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    this.operations = new HotCounter({
      name: 'portcullis_ldap_operations_total',
      help: 'LDAP operations by type and result code name',
      labelNames: ['op', 'result'] as const,
      registers: [registry],
    });
    this.searchSeconds = new HotHistogram({
      name: 'portcullis_ldap_search_seconds',
      help: 'Time to answer an LDAP search, entries sent included',
      labelNames: ['result'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
  }

  private static readonly byRegistry = new WeakMap<Registry, LdapMetrics>();

  /** Several servers on one app (tests, LDAP + LDAPS) share one set of metrics. */
  static for(registry: Registry): LdapMetrics {
    let metrics = LdapMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new LdapMetrics(registry);
      LdapMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }
}
