/** Starts the network front ends configured for this node. */
import type { App } from './app.js';
import { startHttpServer } from './frontends/http/server.js';
import { startLdapServer } from './frontends/ldap/server.js';

export async function startServers(app: App): Promise<void> {
  await startLdapServer(app);
  if (app.config.http.enabled) await startHttpServer(app);
  app.log.info({ event: 'server.start', store: app.store.dialect }, 'portcullis started');
}
