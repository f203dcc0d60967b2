/**
 * A message channel between two processes of one node (the cluster primary and a worker). Node's
 * IPC carries JSON; tests use an in-process pair that serialises the same way.
 */
export interface Channel {
  send(message: unknown): void;
  /** Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** Two connected ends; delivery is asynchronous and JSON-shaped, as over a real IPC pipe. */
export function channelPair(): [Channel, Channel] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const end = (mine: 0 | 1): Channel => ({
    send(message) {
      const copy: unknown = JSON.parse(JSON.stringify(message));
      setImmediate(() => {
        for (const listener of listeners[mine === 0 ? 1 : 0]) listener(copy);
      });
    },
    onMessage(listener) {
      listeners[mine].add(listener);
      return () => listeners[mine].delete(listener);
    },
  });
  return [end(0), end(1)];
}

/** The message's tag when it is one of ours: an object with a string `t`. */
export function tagOf(message: unknown): string | null {
  if (typeof message !== 'object' || message === null) return null;
  const t = (message as { t?: unknown }).t;
  return typeof t === 'string' ? t : null;
}
