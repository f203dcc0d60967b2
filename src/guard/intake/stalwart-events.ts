/**
 * Stalwart webhook events (CONTRACTS.md §2) read into what the guard should do with each. Pure: no
 * I/O. Field names from Stalwart's own serializer (crates/trc/src/serializers/json.rs): each event
 * is {id, createdAt, type, data}, data keys camelCase (remoteIp, accountName, listenerId, localPort,
 * spanId — a u64, kept exact as a BigInt).
 */
import { isIP } from 'node:net';
import type { StalwartWebhookConfig } from '../../config/sections/guard-io.js';
import type { Protocol } from '../../identity/model.js';
import { toBigInt } from './big-json.js';

export interface StalwartEvent {
  id: string;
  type: string;
  createdAt: string | null;
  data: Record<string, unknown>;
  spanId: bigint | null;
}

export type IntakeAction =
  /** A wrong guess Portcullis did not see itself: count it for the address (and the account, when named). */
  | { kind: 'failure'; ip: string; login: string | null; protocol: Protocol }
  /** A login that worked: marks the address known-good for that account, nothing more. */
  | { kind: 'success'; ip: string; login: string; protocol: Protocol }
  /** Stalwart banned the address itself: mirrored as a ban here. */
  | { kind: 'ban'; ip: string; rule: string }
  | { kind: 'ignore'; why: string };

export class MalformedBatchError extends Error {}

const MAX_ID = 128;

/** `{"events": [...]}` into events; a batch that is not that shape is refused as a whole. */
export function readBatch(body: unknown, maxEvents: number): StalwartEvent[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MalformedBatchError('expected {"events": [...]}');
  const events = (body as Record<string, unknown>)['events'];
  if (!Array.isArray(events)) throw new MalformedBatchError('expected {"events": [...]}');
  if (events.length > maxEvents) throw new MalformedBatchError(`at most ${maxEvents} events per batch`);
  return events.map((raw, i) => readEvent(raw, i));
}

function readEvent(raw: unknown, index: number): StalwartEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MalformedBatchError(`event ${index} is not an object`);
  const e = raw as Record<string, unknown>;
  const id = typeof e['id'] === 'string' || typeof e['id'] === 'number' ? String(e['id']) : null;
  if (id === null || id === '' || id.length > MAX_ID) throw new MalformedBatchError(`event ${index} has no valid "id"`);
  if (typeof e['type'] !== 'string' || e['type'].length > 128) throw new MalformedBatchError(`event ${index} has no valid "type"`);
  const dataRaw = e['data'];
  const data = typeof dataRaw === 'object' && dataRaw !== null && !Array.isArray(dataRaw) ? (dataRaw as Record<string, unknown>) : {};
  return { id, type: e['type'], createdAt: typeof e['createdAt'] === 'string' ? e['createdAt'] : null, data, spanId: toBigInt(data['spanId']) };
}

const FAILURES = new Set(['auth.failed', 'auth.too-many-attempts']);
const BANS = new Set(['security.authentication-ban', 'security.abuse-ban', 'security.scan-ban']);
export const KNOWN_TYPES: ReadonlySet<string> = new Set([...FAILURES, ...BANS, 'auth.success']);

/** What to do with one event. Unknown types and events without a usable address are ignored. */
export function actionOf(event: StalwartEvent, config: StalwartWebhookConfig): IntakeAction {
  if (!KNOWN_TYPES.has(event.type)) return { kind: 'ignore', why: 'type' };
  const ip = addressOf(event.data['remoteIp']);
  if (ip === null) return { kind: 'ignore', why: 'no-remote-ip' };
  if (BANS.has(event.type)) return { kind: 'ban', ip, rule: `stalwart-${event.type.slice('security.'.length)}` };
  const login = loginOf(event.data['accountName']);
  const protocol = protocolOf(event.data, config);
  if (event.type === 'auth.success') return login === null ? { kind: 'ignore', why: 'no-account' } : { kind: 'success', ip, login, protocol };
  return { kind: 'failure', ip, login, protocol };
}

function addressOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.startsWith('::ffff:') && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
  return isIP(v) ? v : null;
}

function loginOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= 512 ? value : null;
}

const BY_NAME: Array<[RegExp, Protocol]> = [
  [/imap/i, 'imap'],
  [/pop/i, 'pop3'],
  [/smtp|submission|submissions/i, 'smtp'],
  [/sieve/i, 'sieve'],
  [/jmap/i, 'jmap'],
  [/http|https|web|dav/i, 'http'],
];

/** From the configured listener map, then the port map, then the listener's name; only logs read it. */
export function protocolOf(data: Record<string, unknown>, config: StalwartWebhookConfig): Protocol {
  const listener = typeof data['listenerId'] === 'string' ? data['listenerId'] : null;
  if (listener !== null && Object.hasOwn(config.listeners, listener)) return config.listeners[listener] ?? 'imap';
  const port = data['localPort'];
  const portKey = typeof port === 'number' || typeof port === 'string' ? String(port) : null;
  if (portKey !== null && Object.hasOwn(config.ports, portKey)) return config.ports[portKey] ?? 'imap';
  if (listener !== null) for (const [re, p] of BY_NAME) if (re.test(listener)) return p;
  return 'imap';
}
