/**
 * The LDAPv3 server: listens on ldap.listen (and LDAPS on ldaps.port), caps connections, and
 * hands each socket to an LdapConnection. Registered with app.onClose.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { App } from '../../app.js';
import { blockListOf, inBlockList, normalizeIp } from '../http/net.js';
import { LdapConnection } from './connection.js';
import { Directory } from './directory/directory.js';
import { LdapMetrics } from './metrics.js';
import type { ServerContext } from './session.js';
import { loadTls } from './tls.js';

export interface LdapServer {
  /** The bound port of ldap:// (useful with port 0). */
  port: number;
  /** The bound port of ldaps://, when enabled. */
  ldapsPort: number | null;
  /** Open connections right now. */
  readonly connections: number;
  close(): Promise<void>;
}

const VERSION = '0.1.0';

/** Starts the LDAP front end when ldap.enabled; null otherwise. */
export async function startLdapServer(app: App): Promise<LdapServer | null> {
  const config = app.config.ldap;
  if (!config.enabled) return null;
  const tls = loadTls(config);
  const secureContext = tls?.context;
  const plainNetworks = blockListOf(config.plainBindNetworks);
  const context: ServerContext = {
    app,
    directory: new Directory(app.store, config.baseDn, { startTls: secureContext !== undefined, version: VERSION }, { source: app.backends, sizeLimit: config.sizeLimit }),
    metrics: LdapMetrics.for(app.metrics.registry),
    startTlsAvailable: secureContext !== undefined,
    plainBindAllowed: (ip) => ip !== null && inBlockList(plainNetworks, ip),
  };
  const live = new Set<LdapConnection>();
  const sockets = new Set<Socket>();

  /** Counts every TCP connection (LDAPS ones before their handshake too) and refuses those over the cap. */
  const admit = (socket: Socket): boolean => {
    if (sockets.size >= config.maxConnections) {
      context.metrics.connectionsTotal.inc({ result: 'refused' });
      app.log.warn({ event: 'ldap.connection-refused', remoteIp: socket.remoteAddress, open: sockets.size }, 'too many ldap connections');
      socket.destroy();
      return false;
    }
    sockets.add(socket);
    context.metrics.connectionsTotal.inc({ result: 'accepted' });
    socket.once('close', () => sockets.delete(socket));
    return true;
  };

  const serve = (socket: Socket, secured: boolean): void => {
    const connection = new LdapConnection(socket, context, { tls: secured, remoteIp: normalizeIp(socket.remoteAddress), secureContext });
    live.add(connection);
    context.metrics.connections.inc({ transport: secured ? 'tls' : 'plain' });
    socket.once('close', () => {
      live.delete(connection);
      context.metrics.connections.dec({ transport: connection.tls ? 'tls' : 'plain' });
    });
  };

  const plain = createServer({ noDelay: true }, (socket) => {
    if (admit(socket)) serve(socket, false);
  });
  const servers: Server[] = [plain];
  const port = await listen(plain, config.listen.port, config.listen.host);
  let ldapsPort: number | null = null;
  if (config.ldaps.enabled && tls) {
    const secure = createTlsServer({ cert: tls.cert, key: tls.key, handshakeTimeout: config.requestTimeoutSeconds * 1000, minVersion: 'TLSv1.2' });
    secure.on('connection', (socket: Socket) => void admit(socket));
    secure.on('secureConnection', (socket: TLSSocket) => serve(socket, true));
    secure.on('tlsClientError', (err) => app.log.debug({ event: 'ldap.tls-error', err: err.message }, 'ldaps handshake failed'));
    servers.push(secure);
    ldapsPort = await listen(secure, config.ldaps.port, config.listen.host);
  }
  app.log.info({ event: 'ldap.listen', host: config.listen.host, port, ldapsPort, baseDn: config.baseDn }, 'ldap server listening');
  const relays = app.config.guard.trustedRelays;
  if (relays.length > 0) {
    // LDAP carries no client IP: a directory client (Stalwart, Dovecot) missing here would be banned as one address guessing many accounts.
    app.log.info({ event: 'ldap.relays', trustedRelays: relays }, 'LDAP clients outside guard.trustedRelays are counted and banned as end clients; list every Stalwart/Dovecot/Keycloak address there');
  }

  let closing: Promise<void> | undefined;
  const server: LdapServer = {
    port,
    ldapsPort,
    get connections() {
      return sockets.size;
    },
    close() {
      closing ??= (async () => {
        const stopped = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
        for (const connection of live) connection.close();
        for (const socket of sockets) socket.destroy();
        await Promise.all(stopped);
      })();
      return closing;
    },
  };
  app.onClose(() => server.close());
  return server;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
