/**
 * A start that fails part-way (here: a customer module that does not exist, after the guard has
 * connected to Redis) closes what it opened, so the process exits with the error instead of hanging.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { redisSkipReason, TEST_REDIS_URL } from './support/redis.js';

const skip = await redisSkipReason();

test('a failed start closes its Redis connection and the process exits', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-startup-'));
  try {
    const script = join(dir, 'start.mts');
    writeFileSync(
      script,
      `import { createApp } from ${JSON.stringify(join(import.meta.dirname, '../src/app.js'))};
import { validateConfig } from ${JSON.stringify(join(import.meta.dirname, '../src/config/load.js'))};
const config = validateConfig({
  dataDir: ${JSON.stringify(dir)},
  log: { level: 'silent' },
  passwords: { argon2: { memoryKiB: 8192, iterations: 1 } },
  redis: { url: ${JSON.stringify(TEST_REDIS_URL)}, keyPrefix: 'startup-test:' },
  backends: { order: ['local', 'custom'], upstreams: [{ name: 'custom', type: 'module', module: ${JSON.stringify(join(dir, 'missing.mjs'))} }] },
});
await createApp(config).then(() => console.log('started'), (err) => console.log('failed: ' + err.message));
`,
    );
    const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), script], { encoding: 'utf8', timeout: 20_000 });
    assert.match(result.stdout, /failed: .*missing\.mjs/, result.stderr);
    assert.equal(result.signal, null, 'the process exited by itself instead of being killed after the timeout');
    assert.equal(result.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
