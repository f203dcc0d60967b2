/** A real Portcullis HTTP server on loopback and a headless Chromium, for the web tests. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { ConfigInput } from '../../src/config/schema.js';
import { boundPort, buildHttpServer } from '../../src/frontends/http/server.js';
import type { WebOptions } from '../../src/frontends/web/options.js';
import { webStateOf } from '../../src/frontends/web/state.js';
import { createTestApp, TEST_ACTOR, type TestApp } from './test-app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'artifacts', 'screenshots');

/** Why the browser tests cannot run here, or null; in CI a missing browser is a failure. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is required in CI`);
  return `Chromium not found at ${CHROMIUM}: browser tests skipped`;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WebServer {
  app: TestApp;
  http: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

export const USERS = {
  alice: { login: 'alice', password: 'alice-password-1' },
  root: { login: 'root', password: 'root-password-1' },
  helen: { login: 'helen', password: 'helen-password-1' },
  audrey: { login: 'audrey', password: 'audrey-password-1' },
};

/** alice (no role), root (admin), helen (helpdesk), audrey (auditor), on a server listening on 127.0.0.1. */
export async function startWebServer(config: ConfigInput = {}, web: Partial<WebOptions> = {}): Promise<WebServer> {
  const app = await createTestApp(config);
  webStateOf(app, { streamIntervalMs: 400, ...web });
  await app.identity.addDomain('example.org', TEST_ACTOR);
  await app.identity.addUser({ mail: 'alice@example.org', displayName: 'Alice Example', password: USERS.alice.password }, TEST_ACTOR);
  await app.identity.addUser({ mail: 'root@example.org', displayName: 'Rosa Root', password: USERS.root.password, roles: ['admin'] }, TEST_ACTOR);
  await app.identity.addUser({ mail: 'helen@example.org', displayName: 'Helen Help', password: USERS.helen.password, roles: ['helpdesk'] }, TEST_ACTOR);
  await app.identity.addUser({ mail: 'audrey@example.org', displayName: 'Audrey Audit', password: USERS.audrey.password, roles: ['auditor'] }, TEST_ACTOR);
  const http = await buildHttpServer(app);
  await http.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    http,
    base: `http://127.0.0.1:${boundPort(http)}`,
    async close() {
      await http.close();
      await app.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, base: string, path: '/self/' | '/admin/', user: { login: string; password: string }): Promise<void> {
  await page.goto(base + path);
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await page.click('#login-form button[type=submit]');
}

/** One login through the Nauthilus JSON API, as a mail server would ask. */
export async function authApi(server: WebServer, username: string, password: string, clientIp: string, protocol = 'imap'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.http.inject({ method: 'POST', url: '/api/v1/auth/json', payload: { username, password, protocol, client_ip: clientIp } });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}
