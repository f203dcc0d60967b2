/**
 * A small LDAP load generator: N raw connections, each sending one pre-encoded request at a time
 * and waiting for its final response, until a fixed number of operations is done. Measures
 * throughput and latency percentiles; knows nothing of the server it drives.
 */
import { connect, type Socket } from 'node:net';
import { LdapFramer, decodeMessage, encodeMessage, type ProtocolOp } from '../../src/frontends/ldap/protocol/index.js';

export interface LoadResult {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

/** Builds the PDUs of one operation for connection `c`, op number `i`. */
export type OpFactory = (c: number, i: number) => ProtocolOp;

export interface LoadOptions {
  port: number;
  connections: number;
  totalOps: number;
  /** Sent once per connection before measuring (e.g. the service bind). */
  setup?: ProtocolOp;
  op: OpFactory;
  /** Result codes that count as success (default 0). */
  ok?: readonly number[];
}

/** Final response types: a search ends with searchResultDone, everything else with one response. */
const FINAL = new Set(['bindResponse', 'searchResultDone', 'extendedResponse', 'compareResponse']);

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const sockets = await Promise.all(Array.from({ length: o.connections }, () => open(o.port)));
  if (o.setup) await Promise.all(sockets.map((s) => s.request(o.setup as ProtocolOp, 0)));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const ok = new Set(o.ok ?? [0]);
  const started = performance.now();
  await Promise.all(
    sockets.map(async (s, c) => {
      for (let i = next++; i < o.totalOps; i = next++) {
        const t = performance.now();
        const code = await s.request(o.op(c, i), i + 1);
        latencies.push(performance.now() - t);
        if (!ok.has(code)) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.socket.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { ops: latencies.length, seconds, opsPerSecond: latencies.length / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), failures };
}

interface Conn {
  socket: Socket;
  request(op: ProtocolOp, id: number): Promise<number>;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const framer = new LdapFramer({ maxMessageSize: 16 * 1024 * 1024 });
    let pending: ((code: number) => void) | undefined;
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      for (let pdu = framer.next(); pdu; pdu = framer.next()) {
        const op = decodeMessage(pdu).protocolOp as { type: string; resultCode?: number };
        if (FINAL.has(op.type) && pending) {
          const done = pending;
          pending = undefined;
          done(op.resultCode ?? -1);
        }
      }
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        request: (op, id) =>
          new Promise((res) => {
            pending = res;
            socket.write(encodeMessage({ messageId: (id % 0x7ffffffe) + 1, protocolOp: op, controls: [] }));
          }),
      }),
    );
  });
}
