/** What operation handlers see of their connection and server: identity, transport, replies. */
import type { App } from '../../app.js';
import type { Control, LdapMessage, ProtocolOp } from './protocol/index.js';
import type { Directory, StopSignal } from './directory/directory.js';
import type { LdapMetrics } from './metrics.js';
import type { PagedSearches } from './handlers/paged.js';

/** Who the connection is bound as. A failed bind leaves it anonymous (RFC 4511 §4.2.1). */
export type BoundIdentity =
  | { kind: 'anonymous' }
  | { kind: 'user'; dn: string; login: string; id: string; roles: readonly string[] }
  | { kind: 'service'; dn: string; name: string; roles: readonly string[] };

export const ANONYMOUS: BoundIdentity = { kind: 'anonymous' };

/** Shared by every connection of one server. */
export interface ServerContext {
  app: App;
  directory: Directory;
  metrics: LdapMetrics;
  /** Whether StartTLS can be offered (a certificate is configured). */
  startTlsAvailable: boolean;
  /** True when a plain-text simple bind from this address is allowed despite requireTlsForBind. */
  plainBindAllowed(ip: string | null): boolean;
}

/** The connection as a handler sees it. */
export interface Session {
  readonly server: ServerContext;
  identity: BoundIdentity;
  readonly tls: boolean;
  readonly remoteIp: string | null;
  readonly paged: PagedSearches;
  /** Writes a whole encoded PDU; resolves when the socket can take more (backpressure). */
  write(pdu: Buffer): Promise<void>;
}

/** One operation in flight. */
export interface OpContext {
  session: Session;
  messageId: number;
  controls: readonly Control[];
  /** Aborted when the client abandons the operation or the connection closes. */
  readonly signal: AbortSignal;
  /** The same state as `signal`, cheap to poll (the AbortSignal of a non-bind is only made when read). */
  readonly stop: StopSignal;
}

/** A handler's final answer; null when nothing is to be sent (abandoned). */
export interface Reply {
  op: ProtocolOp;
  controls?: Control[];
}

export type Handler<Op> = (ctx: OpContext, op: Op) => Promise<Reply | null>;

export function message(messageId: number, reply: Reply): LdapMessage {
  return { messageId, protocolOp: reply.op, controls: reply.controls ?? [] };
}

/** A bound identity's DN for WhoAmI and audit (empty for anonymous). */
export function identityDn(identity: BoundIdentity): string {
  return identity.kind === 'anonymous' ? '' : identity.dn;
}
