/**
 * What an HTTP front end knows about a connection, worked out once per connection rather than per
 * request: the peer's address (loopback or not), and a signal aborted when the connection closes.
 */
import type { Socket } from 'node:net';
import { isLoopback, normalizeIp } from './net.js';

export interface Connection {
  /** Aborted when the socket closes: queued hashing for its requests is dropped. */
  signal: AbortSignal;
  /** The peer's address, normalised; null when unknown. */
  peer: string | null;
  loopback: boolean;
}

const connections = new WeakMap<Socket, Connection>();

export function connectionOf(socket: Socket): Connection {
  let known = connections.get(socket);
  if (!known) {
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    const peer = normalizeIp(socket.remoteAddress);
    known = { signal: gone.signal, peer, loopback: isLoopback(peer) };
    connections.set(socket, known);
  }
  return known;
}
