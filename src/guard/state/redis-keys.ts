/**
 * Every Redis key and channel the guard uses, built here only. A subject's counters share a hash
 * tag ({ip:…}) so one script touches one Cluster slot; the ban/allow lists share {lists}.
 */
import type { SetName } from './state.js';

export class GuardKeys {
  readonly listData: string;
  readonly listExpiry: string;
  /** Pub/sub: every node applies ban/allow changes at once and keeps a local copy. */
  readonly channel: string;

  constructor(private readonly prefix: string) {
    this.listData = `${prefix}guard:{lists}:data`;
    this.listExpiry = `${prefix}guard:{lists}:exp`;
    this.channel = `${prefix}guard:lists`;
  }

  set(subject: string, set: SetName): string {
    return `${this.prefix}guard:{${subject}}:${set}`;
  }

  /** Escalation memory of one target; expires on its own when the offender is forgotten. */
  offencePrefix(): string {
    return `${this.prefix}guard:{lists}:off:`;
  }
}

export const ALL_SETS: readonly SetName[] = ['fail', 'facct', 'fip', 'ok', 'okip', 'okdev'];
