/** Test support for the HTTP front ends: an app with alice, an app password, a backend that is down, a steerable guard. */
import type { FastifyInstance } from 'fastify';
import { createTestApp, seedAlice, TEST_ACTOR, type TestApp } from './test-app.js';
import type { AppOverrides } from '../../src/app.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Attempt } from '../../src/pipeline/attempt.js';
import type { AttemptOutcome, AuthBackend, BackendResult, Guard, GuardVerdict } from '../../src/pipeline/ports.js';
import { buildHttpServer } from '../../src/frontends/http/server.js';

export const ALICE_PASSWORD = 'alice p@ss%wörd';

export class SteerableGuard implements Guard {
  verdict: GuardVerdict = { action: 'allow' };
  attempts: Attempt[] = [];
  async precheck(attempt: Attempt): Promise<GuardVerdict> {
    this.attempts.push(attempt);
    return this.verdict;
  }
  async record(_attempt: Attempt, _outcome: AttemptOutcome): Promise<void> {}
}

/** Answers "unavailable" for down@example.org: a temporary failure, as an LDAP upstream that is down. */
export const downBackend: AuthBackend = {
  name: 'down',
  async authenticate(attempt: Attempt): Promise<BackendResult> {
    return attempt.login === 'down@example.org' ? { status: 'unavailable', detail: 'upstream timed out' } : { status: 'unknown' };
  },
  async lookup() {
    return null;
  },
  async revalidate() {
    return null;
  },
};

export interface HttpTest {
  app: TestApp;
  http: FastifyInstance;
  guard: SteerableGuard;
  /** alice's app password, scoped to imap only. */
  imapOnly: string;
  close(): Promise<void>;
}

export async function startHttpTest(config: ConfigInput = {}, overrides: AppOverrides = {}): Promise<HttpTest> {
  const guard = new SteerableGuard();
  const app = await createTestApp(
    { ...config, nginx: { upstreams: { imap: { host: '192.0.2.10', port: 143 }, smtp: { host: '2001:db8::25', port: 25 } }, ...config.nginx } },
    { guard, extraBackends: [downBackend], ...overrides },
  );
  await seedAlice(app, ALICE_PASSWORD);
  const { secret } = await app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['imap'] }, TEST_ACTOR);
  const http = await buildHttpServer(app);
  return {
    app,
    http,
    guard,
    imapOnly: secret,
    async close() {
      await http.close();
      await app.close();
    },
  };
}

/** Everything a response shows a client, for "no secret echoed back" checks. */
export function visible(res: { headers: Record<string, unknown>; body: string }): string {
  return JSON.stringify(res.headers) + res.body;
}
