/**
 * Runs a bench child under the CPU profiler (NODE_OPTIONS may not carry --cpu-prof): starts the
 * profiler, imports the child script named in BENCH_PROFILED, and writes the profile into
 * BENCH_PROFILE when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 100 });
session.post('Profiler.start');
process.once('exit', () => {
  // A same-thread session answers synchronously, so the profile is written before the exit.
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(join(process.env.BENCH_PROFILE ?? '.', `http-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
  });
});
await import(pathToFileURL(process.env.BENCH_PROFILED ?? '').href);
