/**
 * Child process for the HTTP bench: the transport ceiling, a bare node:http server answering a fixed
 * success; prints {"port"}. BENCH_WORKERS > 1 serves from that many cluster workers on one port.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const workers = Number(process.env.BENCH_WORKERS ?? 1);
const printPort = (port: number): boolean => process.stdout.write(`${JSON.stringify({ port })}\n`);

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) printPort(address.port);
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const body = JSON.stringify({ ok: true, account_field: 'uid', attributes: { uid: ['alice'], mail: ['alice@example.org'] } });
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'Auth-Status': 'OK', 'Auth-User': 'alice' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    if (cluster.isPrimary) printPort((server.address() as AddressInfo).port);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
