/**
 * Change detection for SQLite. `PRAGMA data_version` on the reader connection changes whenever
 * another connection commits: our writer, or another process such as the CLI. It changes for
 * every table, so only then is the trigger-maintained `store_changes` counter read, and the cache
 * is dropped only when identity tables changed (not for web sessions, login log or audit rows,
 * nor for an app password's recorded last use: migration 5).
 * An in-memory database has a single connection, where data_version never moves: the counter is
 * read every time.
 */
import type Database from 'better-sqlite3';
import type { ChangeSource } from './change-source.js';

type Db = Database.Database;
type Pluck = Database.Statement<[], number>;

export class SqliteChanges implements ChangeSource {
  readonly maxAgeMs = Number.POSITIVE_INFINITY;
  private dataVersion: Pluck | null = null;
  private counter: Pluck | null = null;
  private lastVersion = -1;
  private lastCount = -1;
  private polled = false;
  private readonly endOfTurn = (): void => {
    this.polled = false;
  };

  constructor(
    private readonly reader: Db,
    private readonly singleConnection: boolean,
  ) {}

  /** Not live until the change-tracking migration has run. */
  get live(): boolean {
    if (this.counter) return true;
    try {
      this.counter = this.reader.prepare<[], number>('SELECT n FROM store_changes WHERE id = 1').pluck();
      this.dataVersion = this.reader.prepare<[], number>('PRAGMA data_version').pluck();
      return true;
    } catch {
      return false; // no such table yet
    }
  }

  /**
   * One pragma read (two fcntl calls, 2-5 µs), the counter only when some connection committed.
   * Done once per event-loop turn, not per read: a turn handles every socket that was ready (a
   * loaded server reads about ten requests per turn), and the flag is reset by an immediate,
   * which runs once the turn's I/O callbacks are done. A commit by another process or connection
   * is therefore seen by the next turn at the latest (well under a millisecond to a few under
   * load): before a request is answered, unless its bytes arrived after this turn's poll. All of
   * this process's identity writes go through the store, which drops the cache itself.
   */
  poll(): boolean {
    if (!this.counter || !this.dataVersion) return true;
    if (this.polled) return false;
    this.polled = true;
    setImmediate(this.endOfTurn);
    if (!this.singleConnection) {
      const version = this.dataVersion.get() ?? -1;
      if (version === this.lastVersion) return false;
      this.lastVersion = version;
    }
    const count = this.counter.get() ?? -1;
    if (count === this.lastCount) return false;
    this.lastCount = count;
    return true;
  }

  subscribe(): void {
    // Nothing is pushed: poll() sees every commit.
  }

  async close(): Promise<void> {
    // The statements die with the connection.
  }
}
