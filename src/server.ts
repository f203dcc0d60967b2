/** Starts the network front ends configured for this node. */
import type { App } from './app.js';

export async function startServers(app: App): Promise<void> {
  app.log.info({ event: 'server.start', store: app.store.dialect }, 'portcullis started');
}
