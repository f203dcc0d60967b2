/** Starts the network front ends configured for this node. */
import type { App } from './app.js';
import { boundPort, startHttpServer } from './frontends/http/server.js';
import { startLdapServer } from './frontends/ldap/server.js';

/** The ports bound (null: that front end is off); with port 0 configured, the ones picked. */
export interface ServerPorts {
  ldap: number | null;
  http: number | null;
}

export async function startServers(app: App): Promise<ServerPorts> {
  const ldap = await startLdapServer(app);
  const http = app.config.http.enabled ? await startHttpServer(app) : null;
  app.log.info({ event: 'server.start', store: app.store.dialect }, 'portcullis started');
  return { ldap: ldap?.port ?? null, http: http ? boundPort(http) : null };
}
