/**
 * How a read cache learns that the database changed. SQLite polls (PRAGMA data_version plus a
 * trigger-maintained counter, a few µs); PostgreSQL is told (LISTEN/NOTIFY from triggers).
 */
export interface ChangeSource {
  /** False while changes cannot be detected (listener down, schema not migrated): reads bypass the cache. */
  readonly live: boolean;
  /** True when identity data may have been committed since the previous call. Called on every cached read (a source may answer from its last look within one event-loop turn). */
  poll(): boolean;
  /** Registers the one callback for changes pushed from elsewhere (other nodes, the CLI). */
  subscribe(onChange: () => void): void;
  /** Entries older than this are reloaded: a safety net where changes are pushed, not polled. */
  readonly maxAgeMs: number;
  close(): Promise<void>;
}
