/**
 * Ban push-out: every ban made or lifted on this node goes to the configured targets through one
 * bounded, retrying queue each. Only address and network bans are pushed: an address+login ban
 * concerns one account, and blocking the address at a firewall would lock out everyone behind it.
 */
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { PushOutConfig } from '../../config/sections/guard-io.js';
import type { Logger } from '../../telemetry/logger.js';
import type { BanEvent, BanListener } from '../context.js';
import { DeliveryQueue } from './queue.js';
import { stalwartTarget } from './stalwart.js';
import { commandTarget, webhookTarget, type BanChange, type PushTarget } from './targets.js';

export interface PushOut {
  /** Resolves once every queue is empty (tests). */
  idle(): Promise<void>;
  close(): void;
}

export function buildTargets(config: PushOutConfig): PushTarget[] {
  return [
    ...config.webhooks.map(webhookTarget),
    ...(config.command ? [commandTarget(config.command)] : []),
    ...(config.stalwart ? [stalwartTarget(config.stalwart)] : []),
  ];
}

/** null for ip+login bans (see above); the change otherwise. */
export function changeOf(event: BanEvent, now: number): BanChange | null {
  const t = event.entry.target;
  let address: string;
  let cidr: string;
  if (t.kind === 'ip') {
    address = t.ip;
    cidr = `${t.ip}/${t.ip.includes(':') ? 128 : 32}`;
  } else if (t.kind === 'cidr') {
    address = t.cidr;
    cidr = t.cidr;
  } else return null;
  const expiresAt = event.entry.expiresAt;
  const ttlSeconds = event.type === 'ban' && expiresAt !== null ? Math.max(1, Math.round((expiresAt - now) / 1000)) : 0;
  return {
    type: event.type,
    cidr,
    address,
    ttlSeconds,
    expiresAt: event.type === 'ban' && expiresAt !== null ? new Date(expiresAt).toISOString() : null,
    rule: event.entry.rule,
    reason: event.entry.reason,
    at: new Date(now).toISOString(),
  };
}

function pushCounter(registry: Registry | undefined): Counter<'target' | 'result'> | undefined {
  if (!registry) return undefined;
  const name = 'portcullis_guard_pushout_total';
  return (registry.getSingleMetric(name) as Counter<'target' | 'result'> | undefined) ??
    new Counter({ name, help: 'Ban push-out deliveries by target and result (delivered, retry, failed, dropped)', labelNames: ['target', 'result'] as const, registers: [registry] });
}

/** Where bans come from: the guard's admin, or in a cluster primary the bans its workers report. */
export interface BanSource {
  onBan(listener: BanListener): () => void;
}

export function startPushOut(
  source: BanSource,
  config: PushOutConfig,
  options: { log?: Logger; registry?: Registry; targets?: PushTarget[]; now?: () => number } = {},
): PushOut | null {
  const targets = options.targets ?? buildTargets(config);
  if (targets.length === 0) return null;
  const { log } = options;
  const now = options.now ?? Date.now;
  const counter = pushCounter(options.registry);
  const queues = targets.map(
    (target) =>
      [
        target,
        new DeliveryQueue<BanChange>((change) => target.deliver(change), {
          name: target.name,
          maxSize: config.queueSize,
          maxAttempts: config.maxAttempts,
          retryBaseMs: config.retryBaseMs,
          retryMaxMs: config.retryMaxMs,
          onResult: (name, result, err) => {
            counter?.inc({ target: name, result });
            if (result === 'failed' || result === 'dropped') log?.error({ event: 'guard.pushout-failed', target: name, result, err: err instanceof Error ? err.message : err }, `ban push-out to ${name} ${result}`);
            else if (result === 'retry') log?.warn({ event: 'guard.pushout-retry', target: name, err: err instanceof Error ? err.message : err }, `ban push-out to ${name} will be retried`);
            else log?.debug({ event: 'guard.pushout', target: name }, `ban pushed to ${name}`);
          },
        }),
      ] as const,
  );
  const unsubscribe = source.onBan((event) => {
    const change = changeOf(event, now());
    if (!change) return;
    for (const [target, queue] of queues) if (target.wants(change)) queue.push(change);
  });
  log?.info({ event: 'guard.pushout-start', targets: targets.map((t) => t.name) }, 'ban push-out started');
  return {
    idle: async () => {
      await Promise.all(queues.map(([, q]) => q.idle()));
    },
    close: () => {
      unsubscribe();
      for (const [, q] of queues) q.close();
    },
  };
}
