/**
 * The admin UI and the self-service page in a real headless Chromium against a real server:
 * app passwords made in the page work on the auth API and log into a real Dovecot through
 * Portcullis's LDAP server until revoked there, a ban made in the UI refuses that address, and
 * the dashboard shows a brute-force run as it happens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dovecotMissing, LDAP_ON_LOOPBACK, startMailLogin, type MailLogin } from './support/web-dovecot.js';
import { authApi, browserMissing, launchBrowser, screenshot, signIn, startWebServer, USERS, type WebServer } from './support/web-harness.js';

const skip = browserMissing();

/** Polls a number shown on the page (the CSP forbids the string-eval form of waitForFunction). */
async function waitForNumber(page: Page, selector: string, atLeast: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = Number(await page.textContent(selector));
    if (value >= atLeast) return;
    if (Date.now() > until) throw new Error(`${selector} stayed at ${value}, expected at least ${atLeast}`);
    await page.waitForTimeout(100);
  }
}

describe('web UI in Chromium', { skip: skip ?? false }, () => {
  let server: WebServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    errors.length = 0;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A CSP violation or a script error is a bug: collect them and fail at the end of each test.
    page.on('console', (m) => {
      // The signed-out page asks for its session first and gets a 401: expected, not an error.
      if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    return { context, page };
  }

  test('a user signs in, creates an app password that works on the auth API, and revoking it in the page stops it', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + '/self/');
    await screenshot(page, 'self-login');
    await signIn(page, server.base, '/self/', USERS.alice);
    await page.waitForSelector('text=Hello, Alice Example');

    await page.fill('#ap-name', 'Thunderbird on laptop');
    await page.click('#new-app-password button[type=submit]');
    const secret = (await page.textContent('#secret-value'))?.trim() ?? '';
    assert.match(secret, /\S{8,}/);
    await screenshot(page, 'self-app-password-created');

    const ok = await authApi(server, 'alice', secret, '192.0.2.50', 'imap');
    assert.equal(ok.status, 200, 'the new app password logs in over IMAP');
    await page.click('#new-secret button.primary');
    await page.reload();
    await page.waitForSelector('tr[data-name="Thunderbird on laptop"] >> text=imap');
    await screenshot(page, 'self-service');

    await page.click('tr[data-name="Thunderbird on laptop"] button.danger');
    await page.waitForSelector('tr[data-name="Thunderbird on laptop"]', { state: 'detached' });
    const refused = await authApi(server, 'alice', secret, '192.0.2.50', 'imap');
    assert.equal(refused.status, 403, 'revoked in the page, refused on the API');
    assert.equal(refused.body['ok'], false);
    await context.close();
    assert.deepEqual(errors, []);
  });

  test('an app password does not open the web page', async () => {
    const { secret } = await server.app.identity.createAppPassword('alice', { name: 'Phone', scopes: ['imap'] }, { actor: 'test', source: null });
    const { context, page } = await newPage();
    await signIn(page, server.base, '/self/', { login: 'alice', password: secret });
    await page.waitForSelector('.alert.error');
    assert.equal(await page.isVisible('text=Hello, Alice Example'), false);
    await context.close();
  });

  test('an admin bans an address in the UI and that address is refused on the auth API', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.base, '/admin/', USERS.root);
    await page.waitForSelector('#dashboard');
    await page.click('nav >> text=Bans & allow-list');
    await page.fill('#ban-target', '203.0.113.9');
    await page.fill('#ban-reason', 'seen in the firewall log');
    await page.click('#ban-form button[type=submit]');
    await page.waitForSelector('#bans tr[data-target="203.0.113.9"]');
    await screenshot(page, 'admin-bans');

    const banned = await authApi(server, 'alice', USERS.alice.password, '203.0.113.9');
    assert.equal(banned.status, 403);
    assert.equal(banned.body['error'], 'banned');
    const elsewhere = await authApi(server, 'alice', USERS.alice.password, '192.0.2.51');
    assert.equal(elsewhere.status, 200, 'other addresses still log in');
    await context.close();
    assert.deepEqual(errors, []);
  });

  test('the dashboard shows a brute-force run as it happens, without a reload', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.base, '/admin/', USERS.root);
    await page.waitForSelector('#live-indicator.on');
    const before = Number(await page.textContent('#kpi-failed .value'));
    let loads = 0;
    page.on('load', () => loads++);
    for (let i = 0; i < 14; i++) await authApi(server, i % 2 ? 'alice' : 'root', `guess-${i}`, '198.51.100.23', i % 3 ? 'imap' : 'smtp');
    // A long IPv6 address must fit its card, Ban button included.
    for (let i = 0; i < 2; i++) await authApi(server, 'alice', `v6-guess-${i}`, '2001:db8:4567:89ab:cdef:1234:5678:9abc');
    await waitForNumber(page, '#kpi-failed .value', before + 10);
    await page.waitForSelector('#top-ips >> text=198.51.100.23');
    await page.waitForSelector('#top-ips >> text=2001:db8:4567:89ab:cdef:1234:5678:9abc');
    for (const button of await page.locator('#top-ips button').all()) {
      const [box, card] = [await button.boundingBox(), await page.locator('#top-ips').boundingBox()];
      assert.ok(box && card && box.x + box.width <= card.x + card.width - 8, 'every Ban button lies inside its card');
    }
    await waitForNumber(page, '#kpi-bans .value', 1);
    await page.waitForSelector('#accounts-under-attack >> text=alice');
    assert.equal(loads, 0, 'the page was not reloaded');
    await screenshot(page, 'admin-dashboard');

    await page.click('nav >> text=Users');
    await page.click('tr[data-login="alice"]');
    await page.waitForSelector('#user-detail');
    await screenshot(page, 'admin-users');
    await page.click('nav >> text=Audit log');
    await page.fill('#audit-q', 'root');
    await page.click('#audit-search button');
    await page.waitForSelector('#audit >> text=guard.ban');
    await screenshot(page, 'admin-audit');
    await page.click('nav >> text=Groups');
    await page.waitForSelector('#groups');
    await screenshot(page, 'admin-groups');
    await context.close();
    assert.deepEqual(errors, []);
  });

  test('script in a display name is shown as text in the pages and never runs', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await server.app.identity.updateUser('alice', { displayName: evil }, { actor: 'test', source: null });
    const { context, page } = await newPage();
    let dialogs = 0;
    page.on('dialog', () => dialogs++);
    await signIn(page, server.base, '/admin/', USERS.root);
    await page.waitForSelector('#dashboard');
    await page.click('nav >> text=Users');
    await page.click('tr[data-login="alice"]');
    await page.waitForSelector('#user-detail h2');
    assert.equal(await page.textContent('#user-detail h2'), evil, 'the name is rendered as text');
    assert.equal(await page.locator('#user-detail img[src=x], #user-detail script').count(), 0, 'no element was made from it');
    const { context: other, page: self } = await newPage();
    await signIn(self, server.base, '/self/', USERS.alice);
    await self.waitForSelector('main h1');
    assert.equal(await self.textContent('main h1'), `Hello, ${evil}`);
    assert.equal(dialogs, 0);
    await server.app.identity.updateUser('alice', { displayName: 'Alice Example' }, { actor: 'test', source: null });
    await context.close();
    await other.close();
    assert.deepEqual(errors, []);
  });
});

describe('an app password made in the page logs into a real Dovecot through the LDAP directory', { skip: skip ?? dovecotMissing() }, () => {
  let server: WebServer;
  let browser: Browser;
  let mail: MailLogin;

  before(async () => {
    server = await startWebServer(LDAP_ON_LOOPBACK);
    mail = await startMailLogin(server);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('created with "Mail apps via the directory (LDAP)", it opens IMAP; revoked in the page, it stops', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await signIn(page, server.base, '/self/', USERS.alice);
    await page.waitForSelector('#new-app-password');
    assert.equal(await mail.imap('alice', USERS.alice.password), 0, `the primary password works: ${mail.dovecot.logTail()}`);

    // An IMAP-only app password is refused: Dovecot checks it with an LDAP bind.
    await page.fill('#ap-name', 'IMAP only');
    await page.click('#new-app-password button[type=submit]');
    const imapOnly = (await page.textContent('#secret-value'))?.trim() ?? '';
    await page.click('#new-secret button.primary');
    assert.equal(await mail.imap('alice', imapOnly), 67, 'without the ldap scope Dovecot refuses it');

    await page.fill('#ap-name', 'Thunderbird via Dovecot');
    await page.check('input[name=scope][value=ldap]');
    assert.match((await page.textContent('label:has(input[value=ldap])')) ?? '', /Mail apps via the directory \(LDAP\)/);
    await page.click('#new-app-password button[type=submit]');
    const secret = (await page.textContent('#secret-value'))?.trim() ?? '';
    await screenshot(page, 'self-app-password-ldap');
    assert.equal(await mail.imap('alice', secret), 0, `the app password logs into Dovecot: ${mail.dovecot.logTail()}`);
    assert.equal(await mail.imap('alice@example.org', secret), 0, 'by mail address too');
    await page.click('#new-secret button.primary');

    await page.click('tr[data-name="Thunderbird via Dovecot"] button.danger');
    await page.waitForSelector('tr[data-name="Thunderbird via Dovecot"]', { state: 'detached' });
    assert.equal(await mail.imap('alice', secret), 67, 'revoked in the page, refused by Dovecot');
    assert.equal(await mail.imap('alice', USERS.alice.password), 0, 'the account itself still logs in');
    await context.close();
    assert.deepEqual(errors, []);
  });
});
