/** Child process for the HTTP bench: the transport ceiling, a bare node:http server answering a fixed success. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ ok: true, account_field: 'uid', attributes: { uid: ['alice'], mail: ['alice@example.org'] } });
const server = createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'Auth-Status': 'OK', 'Auth-User': 'alice' });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
