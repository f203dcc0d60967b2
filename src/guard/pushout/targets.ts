/**
 * Where bans go: a signed webhook, a command (never through a shell), Stalwart's blocked-IP list.
 * Each target turns one ban change into one delivery that throws when it should be retried.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { PushOutConfig } from '../../config/sections/guard-io.js';

/** One ban change as every target sees it. */
export interface BanChange {
  type: 'ban' | 'unban';
  /** Always a block: 203.0.113.7/32, 2001:db8::/64. */
  cidr: string;
  /** The address without a prefix length when it is a single address. */
  address: string;
  /** Seconds left; 0 when the ban has no end (and for unbans). */
  ttlSeconds: number;
  expiresAt: string | null;
  rule: string;
  reason: string;
  at: string;
}

export interface PushTarget {
  readonly name: string;
  /** Whether this target wants the change (e.g. Stalwart's own bans are not sent back to it). */
  wants(change: BanChange): boolean;
  deliver(change: BanChange): Promise<void>;
}

type WebhookConfig = PushOutConfig['webhooks'][number];

/** POST JSON; X-Portcullis-Signature = base64 HMAC-SHA256(secret, body); any non-2xx is retried. */
export function webhookTarget(config: WebhookConfig): PushTarget {
  return {
    name: `webhook:${config.name}`,
    wants: () => true,
    async deliver(change) {
      const body = JSON.stringify({ event: `guard.${change.type}`, ...change });
      const signature = createHmac('sha256', config.secret).update(body).digest('base64');
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portcullis-signature': signature, 'x-portcullis-event': `guard.${change.type}` },
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`webhook ${config.name} answered ${res.status}`);
    },
  };
}

type CommandConfig = NonNullable<PushOutConfig['command']>;

/** `<path> <args…> ban|unban <cidr> <ttlSeconds>` via execFile: arguments are never parsed by a shell. */
export function commandTarget(config: CommandConfig): PushTarget {
  return {
    name: 'command',
    wants: () => true,
    deliver: (change) =>
      new Promise((resolve, reject) => {
        const args = [...config.args, change.type, change.cidr, String(change.ttlSeconds)];
        execFile(config.path, args, { timeout: config.timeoutMs, shell: false, maxBuffer: 64 * 1024 }, (err, _stdout, stderr) => {
          if (err) reject(new Error(`${config.path} failed: ${err.message}${stderr ? ` (${stderr.trim().slice(0, 200)})` : ''}`));
          else resolve();
        });
      }),
  };
}

