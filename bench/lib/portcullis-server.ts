/** Child process for the HTTP bench: a real Portcullis (temp SQLite, alice seeded) on a free port; prints {"port"}. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { boundPort, startHttpServer } from '../../src/frontends/http/server.js';

export const BENCH_PASSWORD = 'bench-password-1';

const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
const config = validateConfig({
  dataDir,
  log: { level: 'warn' },
  http: { listen: { host: '127.0.0.1', port: 0 } },
  nginx: { upstreams: { imap: { host: '127.0.0.1', port: 143 } } },
});
const app = await createApp(config);
const actor = { actor: 'bench', source: null };
await app.identity.addDomain('example.org', actor);
await app.identity.addUser({ mail: 'alice@example.org', password: BENCH_PASSWORD }, actor);
const http = await startHttpServer(app);
process.stdout.write(`${JSON.stringify({ port: boundPort(http) })}\n`);
const stop = async (): Promise<void> => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
