/** The guard's notion of time, injected so windows, TTLs and escalation are tested without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock that moves only when told to: tests and the attack simulation. */
export class ManualClock {
  constructor(private ms = Date.UTC(2025, 0, 1)) {}

  readonly now: Clock = () => this.ms;

  advance(seconds: number): void {
    this.ms += Math.round(seconds * 1000);
  }

  set(ms: number): void {
    this.ms = ms;
  }
}
