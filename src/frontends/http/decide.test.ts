/** A caller that hangs up mid-decision aborts the attempt's signal (queued hashing is dropped), also on a keep-alive connection. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { startHttpTest, type HttpTest } from '../../../test/support/http-testing.js';
import type { Attempt } from '../../pipeline/attempt.js';
import type { AuthBackend, BackendResult } from '../../pipeline/ports.js';

let entered: () => void = () => undefined;
let aborted: () => void = () => undefined;

/** Holds hang@example.org's check until the attempt's signal aborts. */
const hangingBackend: AuthBackend = {
  name: 'hanging',
  authenticate(attempt: Attempt): Promise<BackendResult> {
    if (attempt.login !== 'hang@example.org') return Promise.resolve({ status: 'unknown' });
    entered();
    return new Promise((resolve) => {
      attempt.signal?.addEventListener('abort', () => {
        aborted();
        resolve({ status: 'unavailable', detail: 'caller gone' });
      });
    });
  },
  lookup: async () => null,
  revalidate: async () => null,
};

describe('HTTP decisions and hung-up callers', () => {
  let t: HttpTest;
  let port = 0;
  before(async () => {
    t = await startHttpTest({}, { extraBackends: [hangingBackend] });
    await t.http.listen({ host: '127.0.0.1', port: 0 });
    port = (t.http.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  test('closing the connection aborts the attempt in flight', async () => {
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gone = new Promise<void>((resolve) => (aborted = resolve));
    const body = JSON.stringify({ username: 'hang@example.org', password: 'whatever 1', protocol: 'imap' });
    const socket = connect({ host: '127.0.0.1', port });
    // A first request on the same keep-alive connection, answered normally.
    socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.write(`POST /api/v1/auth/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await inside;
    socket.destroy();
    await Promise.race([gone, new Promise((_, reject) => setTimeout(() => reject(new Error('not aborted within 2 s')), 2000))]);
    assert.ok(true);
  });
});
