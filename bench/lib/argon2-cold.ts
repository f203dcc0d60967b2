/** Child process: argon2id verifications per second with N concurrent verifications and UV_THREADPOOL_SIZE=N. */
import { PasswordHasher } from '../../src/passwords/hasher.js';

const threads = Number(process.argv[2] ?? 1);
const seconds = Number(process.env.BENCH_COLD_SECONDS ?? 4);
const hasher = await PasswordHasher.create({ admission: { maxRunning: threads, maxQueued: 1000 } });
const stored = await hasher.hash('cold-path-password');
let done = 0;
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: threads * 2 }, async () => {
    while (performance.now() < deadline) {
      const r = await hasher.verify(stored, 'cold-path-password');
      if (!r.ok) throw new Error('verification failed');
      done++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ threads, perSecond: done / elapsed, params: hasher.params })}\n`);
