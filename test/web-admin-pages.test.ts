/**
 * The admin pages for domains, service accounts, token issuers, a user's aliases and app passwords,
 * and the self-service session list, in a real Chromium: what is done in the page is what the
 * store holds, a helpdesk user sees no buttons it may not use, and nothing logs a script error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authApi, browserMissing, launchBrowser, screenshot, signIn, startWebServer, USERS, type WebServer } from './support/web-harness.js';

const skip = browserMissing();

describe('admin pages in Chromium', { skip: skip ?? false }, () => {
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

  async function open(user: { login: string; password: string }, path: '/admin/' | '/self/'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Refusals (401 signed out, 400 bad input) are shown in the page; script and CSP errors are bugs.
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[01]/.test(m.text())) errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await signIn(page, server.base, path, user);
    await page.waitForSelector(path === '/admin/' ? '#dashboard' : '#app-passwords');
    return { context, page };
  }

  test('domains, service accounts and token issuers are managed in the pages', async () => {
    errors.length = 0;
    const { context, page } = await open(USERS.root, '/admin/');
    await page.click('nav >> text=Domains');
    await page.fill('#dom-name', 'example.net');
    await page.click('#new-domain button[type=submit]');
    await page.waitForSelector('tr[data-domain="example.net"]');
    assert.ok(await server.app.store.getDomain('example.net'));
    await screenshot(page, 'admin-domains');
    await page.click('tr[data-domain="example.net"] button.danger');
    await page.waitForSelector('tr[data-domain="example.net"]', { state: 'detached' });

    await page.click('nav >> text=Service accounts');
    await page.fill('#sa-name', 'dovecot');
    await page.fill('#sa-pw', 'dovecot-bind-password-1');
    await page.click('#new-service-account button[type=submit]');
    await page.waitForSelector('tr[data-name="dovecot"] >> text=directory-read');
    await screenshot(page, 'admin-service-accounts');
    assert.deepEqual((await server.app.store.listServiceAccounts()).map((a) => [a.name, a.roles]), [['dovecot', ['directory-read']]]);

    await page.click('nav >> text=Token issuers');
    await page.fill('#is-name', 'Company <b>IdP</b>');
    await page.fill('#is-issuer', 'https://idp.example.org/realms/mail');
    await page.fill('#is-aud', 'mail, dav');
    await page.click('#new-issuer summary');
    await page.fill('#is-intro', 'https://idp.example.org/introspect');
    await page.fill('#is-cid', 'portcullis');
    await page.fill('#is-secret', 'issuer-client-secret-1');
    await page.click('#new-issuer button[type=submit]');
    const row = 'tr[data-issuer="https://idp.example.org/realms/mail"]';
    await page.waitForSelector(row);
    assert.equal(await page.textContent(`${row} strong`), 'Company <b>IdP</b>', 'shown as text');
    assert.equal((await page.content()).includes('issuer-client-secret-1'), false, 'the secret is not in the page');
    await page.click(`${row} >> text=Disable`);
    await page.waitForSelector(`${row} >> text=disabled`);
    await screenshot(page, 'admin-issuers');
    assert.equal((await server.app.identity.listIssuers())[0]?.enabled, false);
    await page.fill('#is-name', 'Plain');
    await page.fill('#is-issuer', 'http://idp.example.net');
    await page.click('#new-issuer button[type=submit]');
    await page.waitForSelector('#issuers .alert.error >> text=https URL');
    await context.close();
    assert.deepEqual(errors, []);
  });

  test("an admin edits a user's aliases and creates an app password shown once; revoking it stops it", async () => {
    errors.length = 0;
    const { context, page } = await open(USERS.root, '/admin/');
    await page.click('nav >> text=Users');
    await page.click('tr[data-login="alice"]');
    await page.fill('#alias-new', 'ally@example.org');
    await page.click('#add-alias button[type=submit]');
    await page.waitForSelector('tr[data-alias="ally@example.org"]');
    assert.deepEqual((await server.app.identity.requireUser('alice')).aliases, ['ally@example.org']);

    await page.fill('#ap-name', 'Set up by the helpdesk');
    await page.click('#new-app-password button[type=submit]');
    const secret = (await page.textContent('#secret-value'))?.trim() ?? '';
    await screenshot(page, 'admin-user-credentials');
    assert.equal((await authApi(server, 'ally@example.org', secret, '192.0.2.60')).status, 200, 'works, even by alias');
    await page.click('#new-secret button.primary');
    assert.equal(await page.locator('#secret-value').count(), 0, 'shown once');
    await page.click('tr[data-name="Set up by the helpdesk"] button.danger');
    await page.waitForSelector('tr[data-name="Set up by the helpdesk"]', { state: 'detached' });
    assert.equal((await authApi(server, 'alice', secret, '192.0.2.60')).status, 403);

    await page.click('tr[data-alias="ally@example.org"] button');
    await page.waitForSelector('tr[data-alias="ally@example.org"]', { state: 'detached' });
    assert.deepEqual((await server.app.identity.requireUser('alice')).aliases, []);
    await context.close();
    assert.deepEqual(errors, []);
  });

  test('helpdesk sees no change buttons on issuers, service accounts, domains or aliases', async () => {
    errors.length = 0;
    await server.app.identity.addIssuer({ name: 'Kept', issuer: 'https://kept.example.org', accountClaim: 'email' }, { actor: 'test', source: null });
    const { context, page } = await open(USERS.helen, '/admin/');
    for (const [nav, root] of [['Token issuers', '#issuers'], ['Service accounts', '#service-accounts'], ['Domains', '#domains']] as const) {
      await page.click(`nav >> text=${nav}`);
      await page.waitForSelector(`${root} tbody tr`);
      assert.equal(await page.locator(`${root} button.danger, ${root} form`).count(), 0, nav);
    }
    await page.click('nav >> text=Users');
    await page.click('tr[data-login="alice"]');
    await page.waitForSelector('#aliases');
    assert.equal(await page.locator('#add-alias').count(), 0);
    assert.equal(await page.locator('#new-app-password').count(), 1, "helpdesk manages an ordinary user's app passwords");
    await context.close();
    assert.deepEqual(errors, []);
  });

  test('self-service lists where I am signed in and signs out everywhere else', async () => {
    errors.length = 0;
    const other = await open(USERS.alice, '/self/');
    const { context, page } = await open(USERS.alice, '/self/');
    await page.waitForSelector('#sessions tr[data-current="no"]');
    await screenshot(page, 'self-sessions');
    await page.click('#sign-out-others');
    await page.waitForSelector('#sessions .alert.success');
    assert.equal(await page.locator('#sessions tbody tr').count(), 1);
    await other.page.reload();
    await other.page.waitForSelector('#login-form');
    await page.reload();
    await page.waitForSelector('#sessions tr[data-current="yes"]');
    await other.context.close();
    await context.close();
    assert.deepEqual(errors, []);
  });
});
