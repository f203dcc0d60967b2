// Tiny stand-ins for the Portcullis side (auth_http, policy server) and an SMTP backend, for self-tests.
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeHttp {
  port: number;
  url: string;
  requests: RecordedRequest[];
  /** What the next requests get; tests swap it between steps. */
  reply: (req: RecordedRequest) => Reply;
  close(): Promise<void>;
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `reply`. */
export async function startFakeHttp(): Promise<FakeHttp> {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      fake.requests.push(recorded);
      const r = fake.reply(recorded);
      res.writeHead(r.status ?? 200, r.headers ?? {}).end(r.body ?? '');
    });
  });
  const port = await listen(server);
  const fake: FakeHttp = {
    port,
    url: `http://127.0.0.1:${port}`,
    requests: [],
    reply: () => ({}),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // Dovecot keeps policy connections alive
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** Just enough SMTP for nginx's proxy handshake (greeting, EHLO/HELO, XCLIENT, QUIT). */
export async function startFakeSmtp(): Promise<{ port: number; lines: string[]; close(): Promise<void> }> {
  const lines: string[] = [];
  const server = createTcpServer((s) => {
    s.on('error', () => undefined);
    s.write('220 fake ESMTP\r\n');
    s.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\r\n').filter(Boolean)) {
        lines.push(line);
        if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else if (/^EHLO/i.test(line)) s.write('250-fake\r\n250-XCLIENT ADDR LOGIN NAME HELO\r\n250 8BITMIME\r\n');
        else if (/^XCLIENT/i.test(line)) s.write('220 fake ESMTP\r\n');
        else s.write('250 ok\r\n');
      }
    });
  });
  const port = await listen(server);
  return { port, lines, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
