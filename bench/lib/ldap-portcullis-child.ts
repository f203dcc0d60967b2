/**
 * Child process for the LDAP bench: Portcullis with BENCH_USERS users (one shared imported hash,
 * so seeding costs no hashing) and the LDAP server on a free port; prints {"port"}.
 * BENCH_CACHE=0 disables the verification cache (cold binds); BENCH_WORKERS > 1 serves from that many
 * cluster workers (the CPU and profile messages below then describe the primary only).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { validateConfig } from '../../src/config/load.js';
import { benchDataDir, serveBench } from './bench-node.js';

const users = Number(process.env.BENCH_USERS ?? 10_000);
const hash = process.env.BENCH_HASH ?? '';
const config = validateConfig({
  dataDir: benchDataDir('portcullis-ldap-bench-'),
  log: { level: 'warn' },
  auth: { cacheTtlSeconds: process.env.BENCH_CACHE === '0' ? 0 : 600 },
  ldap: { listen: { host: '127.0.0.1', port: 0 }, maxConnections: 100_000 },
  http: { enabled: false },
});
const primary = await serveBench(
  config,
  async (app) => {
    const by = { actor: 'bench', source: null };
    await app.identity.addDomain('example.org', by);
    await app.store.transaction(async (tx) => {
      for (let i = 0; i < users; i++) {
        await tx.createUser({ login: `user${i}`, domain: 'example.org', mail: `user${i}@example.org`, displayName: `User ${i}`, passwordHash: hash, passwordChangedAt: new Date() });
      }
    });
    await app.identity.addServiceAccount({ name: 'stalwart', password: 'service password 1', roles: ['directory-read'] }, by);
  },
  (ports) => ports.ldap,
);
// With an IPC channel (bench/ldap-cpu.ts): answers {cpu: true} with this process's CPU time so far;
// {profile: 'start'} / {profile: <file>} start a CPU profile and write it to <file>.
let profiler: Session | null = null;
process.on('message', (m: unknown) => {
  if (primary === null || typeof m !== 'object' || m === null) return;
  if ('cpu' in m) process.send?.({ cpu: process.cpuUsage() });
  if ('profile' in m && typeof m.profile === 'string') {
    if (m.profile === 'start') {
      profiler = new Session();
      profiler.connect();
      profiler.post('Profiler.enable', () => profiler?.post('Profiler.start', () => process.send?.({ profiling: true })));
    } else {
      const file = m.profile;
      profiler?.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(file, JSON.stringify(result.profile));
        profiler?.disconnect();
        profiler = null;
        process.send?.({ profiled: file });
      });
    }
  }
});
