/** The errors backends raise: temporary unavailability, and misconfiguration found at start-up. */

/**
 * A backend could not answer (down, slow, garbled, circuit open). `lookup` throws it so that a
 * front end answers "try again later" rather than "no such user".
 */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    readonly detail: string,
  ) {
    super(`backend ${backend} unavailable: ${detail}`);
    this.name = 'BackendUnavailableError';
  }
}

/** A backend cannot start: the message names the configuration key and what to fix. */
export class BackendConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`${key}: ${problem}`);
    this.name = 'BackendConfigError';
  }
}
