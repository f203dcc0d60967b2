/**
 * One client connection: frames and decodes PDUs, dispatches operations (binds serialised,
 * everything else concurrent up to a cap), writes answers with backpressure, and upgrades to TLS
 * on StartTLS. A broken stream gets a Notice of Disconnection and is closed; nothing a client
 * sends can take the process down.
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { dispatchTable } from './dispatch.js';
import { PagedSearches } from './handlers/paged.js';
import { isAnswerable, result, type AnswerableRequest } from './handlers/results.js';
import {
  ExtendedOid,
  LdapFramer,
  ResultCode,
  decodeMessage,
  encodeMessage,
  noticeOfDisconnection,
  resultCodeName,
  startTlsResponse,
  type LdapMessage,
} from './protocol/index.js';
import { ANONYMOUS, message, type BoundIdentity, type OpContext, type Reply, type ServerContext, type Session } from './session.js';

/** The abort reason of operations stopped because their connection went (not abandoned). */
const CLOSED = Symbol('connection closed');

export class LdapConnection implements Session {
  identity: BoundIdentity = ANONYMOUS;
  tls: boolean;
  readonly remoteIp: string | null;
  readonly paged: PagedSearches;
  private socket: Socket;
  private framer: LdapFramer;
  private readonly ops = new Map<number, OpAbort>();
  private inFlight = 0;
  /** Binds run one after another; other operations wait for the binds sent before them. */
  private binds: Promise<unknown> = Promise.resolve();
  private readonly closedController = new AbortController();
  private upgrading = false;
  private partialTimer: NodeJS.Timeout | undefined;
  private corked = false;
  private paused = false;
  /** Every operation in flight (binds too), aborted when the connection goes. */
  private readonly live = new Set<OpAbort>();

  constructor(
    socket: Socket,
    readonly server: ServerContext,
    options: { tls: boolean; remoteIp: string | null; secureContext: SecureContext | undefined },
  ) {
    const config = server.app.config.ldap;
    this.socket = socket;
    this.tls = options.tls;
    this.remoteIp = options.remoteIp;
    this.secureContext = options.secureContext;
    this.framer = new LdapFramer({ maxMessageSize: config.maxMessageBytes });
    this.paged = new PagedSearches(config.maxPagedSearchesPerConnection);
    this.attach(socket);
  }

  private readonly secureContext: SecureContext | undefined;

  /** Read on every PDU: kept, as AbortController's signal getter is not free. */
  private readonly closedSignal = this.closedController.signal;

  get closed(): AbortSignal {
    return this.closedSignal;
  }

  /**
   * Writes a PDU; resolves once the socket wants more (so big searches do not pile up in memory).
   * PDUs written in the same turn of the event loop (a search's entries and its done, answers to
   * pipelined requests) are corked into one writev: one syscall instead of one per PDU.
   */
  write(pdu: Buffer): Promise<void> {
    if (this.closed.aborted || this.socket.destroyed) return Promise.resolve();
    if (!this.corked) {
      const socket = this.socket; // StartTLS may swap this.socket before the tick ends
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    if (this.socket.write(pdu)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.closed.removeEventListener('abort', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.closed.addEventListener('abort', done);
    });
  }

  /** Closes at once (server shutdown, unbind). */
  close(): void {
    this.shutdown();
    this.socket.destroy();
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err) => this.server.app.log.debug({ event: 'ldap.socket-error', err: err.message, remoteIp: this.remoteIp }, 'ldap socket error'));
    socket.on('close', () => this.shutdown());
    socket.setTimeout(this.server.app.config.ldap.idleTimeoutSeconds * 1000, () => {
      if (this.inFlight > 0) return; // a long search or a queued bind is not idleness
      this.server.app.log.debug({ event: 'ldap.idle-timeout', remoteIp: this.remoteIp }, 'closing idle ldap connection');
      this.close();
    });
  }

  private readonly onData = (chunk: Buffer): void => {
    this.framer.push(chunk);
    this.pump();
  };

  /** Decodes and dispatches whole PDUs while under the in-flight cap. */
  private pump(): void {
    const cap = this.server.app.config.ldap.maxOperationsPerConnection;
    while (!this.closed.aborted && !this.upgrading && this.inFlight < cap) {
      let msg: LdapMessage;
      try {
        const pdu = this.framer.next();
        if (!pdu) break;
        msg = decodeMessage(pdu, { maxFilterDepth: this.server.app.config.ldap.maxFilterDepth });
      } catch (err) {
        this.protocolError(err instanceof Error ? err.message : String(err));
        return;
      }
      this.dispatch(msg);
    }
    if (this.closed.aborted || this.upgrading) return;
    // Only on a change: pause()/resume() on every PDU cost more than the bookkeeping.
    const full = this.inFlight >= cap;
    if (full !== this.paused) {
      this.paused = full;
      if (full) this.socket.pause();
      else this.socket.resume();
    }
    this.watchPartial();
  }

  /** A message that has started must finish within requestTimeoutSeconds (slow-loris senders). */
  private watchPartial(): void {
    const waiting = this.framer.bufferedBytes > 0 && this.inFlight < this.server.app.config.ldap.maxOperationsPerConnection;
    if (!waiting) {
      clearTimeout(this.partialTimer);
      this.partialTimer = undefined;
    } else if (!this.partialTimer) {
      this.partialTimer = setTimeout(() => this.protocolError('message not completed in time'), this.server.app.config.ldap.requestTimeoutSeconds * 1000);
    }
  }

  private dispatch(msg: LdapMessage): void {
    const op = msg.protocolOp;
    switch (op.type) {
      case 'unbindRequest':
        this.count('unbind', ResultCode.success);
        this.close();
        return;
      case 'abandonRequest':
        this.count('abandon', ResultCode.success);
        this.ops.get(op.abandonId)?.abort();
        return;
      case 'extendedRequest':
        if (op.requestName === ExtendedOid.startTls) {
          this.startTls(msg.messageId);
          return;
        }
        break;
      default:
        if (!isAnswerable(op.type)) {
          this.protocolError(`unexpected ${op.type}`);
          return;
        }
    }
    this.run(msg);
  }

  private run(msg: LdapMessage): void {
    const type = msg.protocolOp.type;
    if (!isAnswerable(type)) return;
    const critical = msg.controls.find((c) => c.critical && !dispatchTable.supportsControl(type, c.type));
    const isBind = type === 'bindRequest';
    // Binds cannot be abandoned (RFC 4511 §4.11): only the connection closing stops them. Other
    // operations get their own stop, aborted on abandon or by shutdown() (no AbortSignal.any per op).
    const controller = isBind ? null : new OpAbort();
    if (controller) {
      this.ops.set(msg.messageId, controller);
      this.live.add(controller);
    }
    const ctx: OpContext = controller
      ? { session: this, messageId: msg.messageId, controls: msg.controls, stop: controller, get signal() { return controller.signal; } }
      : { session: this, messageId: msg.messageId, controls: msg.controls, stop: this.closedSignal, signal: this.closedSignal };
    const answer = this.binds.then(() =>
      critical ? result(type, ResultCode.unavailableCriticalExtension, `unsupported critical control ${critical.type}`) : dispatchTable.handle(ctx, msg.protocolOp),
    );
    if (isBind) this.binds = answer.catch(() => undefined);
    this.inFlight++;
    void this.reply(msg.messageId, type, controller, answer);
  }

  /** Sends an operation's answer, then lets the next PDUs in (one async step, not a chain of four closures per op). */
  private async reply(messageId: number, type: AnswerableRequest, controller: OpAbort | null, answer: Promise<Reply | null>): Promise<void> {
    try {
      let reply: Reply | null;
      try {
        reply = await answer;
      } catch (err) {
        this.server.app.log.warn({ event: 'ldap.operation-failed', op: type, err }, 'ldap operation failed');
        reply = result(type, ResultCode.unavailable, 'temporary failure, try again');
      }
      if (reply === null || (controller?.aborted && controller.reason !== CLOSED)) return; // abandoned
      this.count(type, (reply.op as { resultCode: number }).resultCode);
      await this.write(encodeMessage(message(messageId, reply)));
    } catch {
      // a write to a connection that went away: nothing to answer
    } finally {
      if (controller) {
        if (this.ops.get(messageId) === controller) this.ops.delete(messageId);
        this.live.delete(controller);
      }
      this.inFlight--;
      this.pump();
    }
  }

  /** RFC 4511 §4.14 / RFC 4513 §3: answer, then the next bytes must be a TLS handshake. */
  private startTls(messageId: number): void {
    const reply = (code: number, text = ''): void => {
      this.count('startTls', code);
      void this.write(encodeMessage({ messageId, protocolOp: startTlsResponse(code, text), controls: [] }));
    };
    if (!this.secureContext) return reply(ResultCode.protocolError, 'StartTLS is not available');
    if (this.tls) return reply(ResultCode.operationsError, 'TLS is already established');
    if (this.inFlight > 0 || this.framer.bufferedBytes > 0) return reply(ResultCode.operationsError, 'operations are outstanding');
    reply(ResultCode.success);
    this.upgrading = true;
    const plain = this.socket;
    plain.off('data', this.onData);
    plain.setTimeout(0);
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.secureContext });
    const handshake = setTimeout(() => secure.destroy(), this.server.app.config.ldap.requestTimeoutSeconds * 1000);
    secure.once('secure', () => {
      clearTimeout(handshake);
      this.upgrading = false;
      this.tls = true;
      this.server.metrics.connections.dec({ transport: 'plain' });
      this.server.metrics.connections.inc({ transport: 'tls' });
      this.pump();
    });
    // Garbage instead of a handshake: the TLS layer fails and the connection closes.
    secure.once('error', () => {
      clearTimeout(handshake);
      secure.destroy();
    });
    secure.once('close', () => clearTimeout(handshake));
    this.socket = secure;
    this.framer = new LdapFramer({ maxMessageSize: this.server.app.config.ldap.maxMessageBytes });
    this.attach(secure);
  }

  /** RFC 4511 §4.4.1: a Notice of Disconnection, then close. */
  private protocolError(detail: string): void {
    if (this.closed.aborted) return;
    this.server.app.log.info({ event: 'ldap.protocol-error', remoteIp: this.remoteIp, detail }, 'ldap protocol error, closing');
    this.count('invalid', ResultCode.protocolError);
    const notice = encodeMessage(noticeOfDisconnection(ResultCode.protocolError, 'protocol error'));
    this.shutdown();
    if (this.upgrading || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    this.socket.end(notice);
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private shutdown(): void {
    if (this.closed.aborted) return;
    this.closedController.abort();
    for (const controller of this.live) controller.abort(CLOSED);
    this.live.clear();
    clearTimeout(this.partialTimer);
    this.paged.clear();
    this.socket.off('data', this.onData);
  }

  private count(op: string, code: number): void {
    this.server.metrics.operations.inc(op, resultCodeName(code));
  }
}

/**
 * The stop of one non-bind operation: abandon and disconnect set it; its AbortSignal (~3 µs with
 * its EventTarget) is only made when a handler reads `signal`, which searches do not.
 */
class OpAbort {
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | null = null;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.controller?.abort(this.reason);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}
