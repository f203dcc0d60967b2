/**
 * Counters of the guard's HTTP front ends (policy answers, webhook events), created once per
 * registry: several HTTP servers on one App share them. Names match the log events.
 */
import { Counter, type Registry } from 'prom-client';

function once<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** portcullis_policy_requests_total{command, answer}: Weakforced/Dovecot policy commands. */
export function policyCounter(registry: Registry): Counter<'command' | 'answer'> {
  return once(registry, 'portcullis_policy_requests_total', 'Weakforced-compatible policy commands by answer (allow, delay, reject, ok, failure)', ['command', 'answer'] as const);
}

/** portcullis_webhook_events_total{source, type, result}: counted, ignored, duplicate, invalid. */
export function webhookCounter(registry: Registry): Counter<'source' | 'type' | 'result'> {
  return once(registry, 'portcullis_webhook_events_total', 'Webhook events received by type and what was done with them', ['source', 'type', 'result'] as const);
}
