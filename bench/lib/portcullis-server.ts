/**
 * Child process for the HTTP bench: a real Portcullis (temp SQLite, alice seeded) on a free port;
 * prints {"port"}. BENCH_WORKERS > 1 serves from that many cluster workers.
 */
import { validateConfig } from '../../src/config/load.js';
import { benchDataDir, serveBench } from './bench-node.js';
import { BENCH_PASSWORD } from './http-requests.js';

const config = validateConfig({
  dataDir: benchDataDir('portcullis-bench-'),
  log: { level: 'warn' },
  http: { listen: { host: '127.0.0.1', port: 0 } },
  ldap: { enabled: false },
  nginx: { upstreams: { imap: { host: '127.0.0.1', port: 143 } } },
});
await serveBench(
  config,
  async (app) => {
    const actor = { actor: 'bench', source: null };
    await app.identity.addDomain('example.org', actor);
    await app.identity.addUser({ mail: 'alice@example.org', password: BENCH_PASSWORD }, actor);
  },
  (ports) => ports.http,
);
