/** The configured backends in order: the first that knows a login answers for it. */
import type { Attempt } from './attempt.js';
import type { Account } from './decision.js';
import type { AuthBackend, BackendResult } from './ports.js';
import type { CachedVerification } from './verification-cache.js';

export class BackendChain {
  constructor(private readonly backends: AuthBackend[]) {
    if (backends.length === 0) throw new Error('at least one authentication backend is required');
  }

  async authenticate(attempt: Attempt): Promise<BackendResult> {
    for (const backend of this.backends) {
      const result = await backend.authenticate(attempt);
      if (result.status !== 'unknown') return result;
    }
    return { status: 'unknown' };
  }

  async lookup(login: string): Promise<Account | null> {
    for (const backend of this.backends) {
      const account = await backend.lookup(login);
      if (account) return account;
    }
    return null;
  }

  async revalidate(attempt: Attempt, cached: CachedVerification): Promise<Account | null> {
    const backend = this.backends.find((b) => b.name === cached.backend);
    return backend ? backend.revalidate(attempt, cached) : null;
  }
}
