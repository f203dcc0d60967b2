/** The guard used when attack detection is switched off: allows everything, counts nothing. */
import type { Guard, GuardVerdict } from './ports.js';

export class AllowAllGuard implements Guard {
  async precheck(): Promise<GuardVerdict> {
    return { action: 'allow' };
  }

  async record(): Promise<void> {}
}
