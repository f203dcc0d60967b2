/** Self-service session list: where I am signed in, ending one, and "sign out everywhere else". */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { webStateOf } from '../src/frontends/web/state.js';
import { json, webLogin } from './support/web-client.js';
import { startWebServer, USERS, type WebServer } from './support/web-harness.js';

interface Item {
  id: string;
  current: boolean;
  clientIp: string | null;
}

describe('self-service sessions', () => {
  let server: WebServer;
  let now = Date.UTC(2030, 5, 1);
  before(async () => {
    server = await startWebServer({}, { now: () => now, idleTimeoutSeconds: 600 });
  });
  after(() => server.close());

  const list = async (client: Awaited<ReturnType<typeof webLogin>>) => json(await client.call('GET', '/api/self/v1/sessions')) as unknown as Item[];

  test('lists my live sessions only, marks this one, and never shows a session id', async () => {
    const laptop = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const phone = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    await webLogin(server.http, USERS.root.login, USERS.root.password);
    const items = await list(laptop);
    assert.equal(items.length, 2, 'only alice\'s');
    assert.equal(items.filter((i) => i.current).length, 1);
    const stored = await webStateOf(server.app).web.listUserSessions((await server.app.identity.requireUser('alice')).id);
    const raw = JSON.stringify(items);
    for (const s of stored) assert.equal(raw.includes(s.id) || raw.includes(s.csrf), false, 'no store id or CSRF token leaves');
    now += 400_000;
    await phone.call('GET', '/api/self/v1/me');
    now += 300_000;
    assert.equal((await list(phone)).length, 1, 'idle sessions are not listed');
  });

  test('ends one other session, refuses to end this one, and sign-out-others keeps only this one', async () => {
    const a = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const b = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const c = await webLogin(server.http, USERS.alice.login, USERS.alice.password);
    const items = await list(a);
    const bItem = (await list(b)).find((i) => i.current)!;
    const self = items.find((i) => i.current)!;
    assert.equal((await a.call('DELETE', `/api/self/v1/sessions/${self.id}`)).statusCode, 400);
    assert.equal((await a.call('DELETE', `/api/self/v1/sessions/${bItem.id}`, undefined, { csrf: null })).statusCode, 403, 'CSRF needed');
    assert.equal((await a.call('DELETE', `/api/self/v1/sessions/${bItem.id}`)).statusCode, 200);
    assert.equal((await b.call('GET', '/api/self/v1/me')).statusCode, 401);
    const root = await webLogin(server.http, USERS.root.login, USERS.root.password);
    const cItem = (await list(c)).find((i) => i.current)!;
    assert.equal((await root.call('DELETE', `/api/self/v1/sessions/${cItem.id}`)).statusCode, 404, "another user's session is not mine to end");

    const forged = await a.call('POST', '/api/self/v1/sessions/sign-out-others', undefined, { csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await c.call('GET', '/api/self/v1/me')).statusCode, 200);
    const ended = await a.call('POST', '/api/self/v1/sessions/sign-out-others');
    assert.equal(ended.statusCode, 200, ended.body);
    assert.ok(Number(json(ended)['ended']) >= 1);
    assert.equal((await c.call('GET', '/api/self/v1/me')).statusCode, 401);
    assert.equal((await a.call('GET', '/api/self/v1/me')).statusCode, 200, 'this browser stays signed in');
    assert.equal((await root.call('GET', '/api/self/v1/me')).statusCode, 200, "other users' sessions are untouched");
    assert.deepEqual((await list(a)).map((i) => i.current), [true]);
    const audit = await server.app.store.listAudit({ action: 'web.sign-out', limit: 10, offset: 0 });
    assert.ok(audit.some((e) => e.actor === 'self:alice' && e.detail['everywhereElse'] === true));
  });
});
