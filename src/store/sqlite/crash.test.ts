/**
 * Crash safety: a child process writing users is SIGKILLed mid-stream, several times over.
 * Afterwards every user must be complete and the file must pass integrity and FK checks.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const here = dirname(fileURLToPath(import.meta.url));

function runAndKill(dbPath: string, afterReadyMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), afterReadyMs);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

interface Check {
  login: string;
  display_name: string;
  primary_rows: number;
  aliases: number;
  app_passwords: number;
}

test('SQLite survives SIGKILL mid-write with every user complete', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-crash-'));
  const dbPath = join(dir, 'identity.db');
  try {
    for (const delay of [150, 40, 270]) {
      await runAndKill(dbPath, delay);
      const db = new Database(dbPath);
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
        assert.deepEqual(db.pragma('foreign_key_check'), [], 'no dangling or missing primary address rows');
        const users = db
          .prepare<[], Check>(
            `SELECT u.login, u.display_name,
               (SELECT count(*) FROM addresses a WHERE a.address = u.mail AND a.user_id = u.id) AS primary_rows,
               (SELECT count(*) FROM addresses a WHERE a.user_id = u.id AND a.address <> u.mail) AS aliases,
               (SELECT count(*) FROM app_passwords p WHERE p.user_id = u.id) AS app_passwords
             FROM users u`,
          )
          .all();
        assert.ok(users.length > 50, `expected users to have been written, got ${users.length}`);
        for (const u of users) {
          assert.equal(u.primary_rows, 1, `${u.login} has its primary address row`);
          assert.equal(u.aliases, 3, `${u.login} has all its aliases`);
          assert.equal(u.app_passwords, u.display_name === 'unit' ? 1 : 0, `${u.login} has its app password`);
        }
        const orphans = db.prepare('SELECT count(*) AS n FROM addresses WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users)').get() as { n: number };
        assert.equal(orphans.n, 0);
      } finally {
        db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
