/**
 * Runs every benchmark in one go, one after another so they do not compete for the two cores, and
 * leaves each one's own figures and ratios on the terminal. `npm run bench` (takes several minutes).
 * BENCH_ONLY=ldap,http limits the run to some of them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = [
  { name: 'store', file: 'store.bench.ts', what: 'identity look-ups with 100,000 users, SQLite and PostgreSQL' },
  { name: 'ldap', file: 'ldap.bench.ts', what: 'LDAP binds and recipient searches vs OpenLDAP slapd' },
  { name: 'http', file: 'http-auth.bench.ts', what: 'HTTP auth APIs vs a bare node:http server; argon2id per core' },
  { name: 'attacks', file: 'attacks/run.ts', what: 'attack simulation against the guard, in memory and on Redis' },
] as const;

const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim());
const tsx = import.meta.resolve('tsx');
let failed = 0;
for (const bench of BENCHES) {
  if (only && !only.includes(bench.name)) continue;
  process.stdout.write(`\n=== ${bench.name}: ${bench.what}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(new URL(bench.file, import.meta.url))], { stdio: 'inherit' });
  process.stdout.write(`=== ${bench.name}: ${result.status === 0 ? 'done' : `FAILED (exit ${String(result.status)})`} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
