/** Typed errors of the password module; messages never carry a password or a stored hash. */

/** Base class: `code` is a stable event name shared by logs and metrics. */
export abstract class PasswordError extends Error {
  abstract readonly code: string;
}

/** Admission is full: answer "busy" now rather than queue work for a client that may leave. */
export class HashingBusyError extends PasswordError {
  readonly code = 'passwords.busy';
  constructor(readonly maxRunning: number, readonly maxQueued: number) {
    super(`password hashing is busy (${maxRunning} running, ${maxQueued} queued)`);
    this.name = 'HashingBusyError';
  }
}

/** The caller's AbortSignal fired while the job was still waiting; it never ran. */
export class AbortedError extends PasswordError {
  readonly code = 'passwords.aborted';
  constructor(cause?: unknown) {
    super('password check aborted before it ran', cause === undefined ? undefined : { cause });
    this.name = 'AbortedError';
  }
}

/** A recognised scheme this module deliberately does not verify (e.g. DES crypt, yescrypt). */
export class UnsupportedHashError extends PasswordError {
  readonly code = 'passwords.unsupported_hash';
  constructor(readonly scheme: string, reason: string) {
    super(`unsupported password hash scheme ${scheme}: ${reason}`);
    this.name = 'UnsupportedHashError';
  }
}

/** The stored value is not a well-formed hash of any known scheme. */
export class MalformedHashError extends PasswordError {
  readonly code = 'passwords.malformed_hash';
  constructor(readonly scheme: string, reason: string) {
    super(`malformed ${scheme} password hash: ${reason}`);
    this.name = 'MalformedHashError';
  }
}
