/** portcullis serve / demo — run the LDAP and HTTP front ends until SIGINT or SIGTERM. */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { App } from '../../app.js';
import { startCluster } from '../../cluster/primary.js';
import { runWorker } from '../../cluster/worker.js';
import type { Config } from '../../config/schema.js';
import { startServers } from '../../server.js';
import { createLogger } from '../../telemetry/logger.js';
import type { CliContext } from '../context.js';
import { action } from '../run.js';

export const DEMO = {
  domain: 'example.org',
  mail: 'demo@example.org',
  password: 'demo-password-123',
  adminMail: 'admin@example.org',
  adminPassword: 'admin-password-123',
  service: 'stalwart',
  servicePassword: 'stalwart-demo-secret',
};

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the LDAP directory and the HTTP APIs')
    .action(action(async (ctx) => serve(ctx)));

  program
    .command('demo')
    .description('start with a demo domain, user and service account (never in production)')
    .action(
      action(async (ctx) =>
        serve(ctx, async (app) => {
          await seedDemo(app, ctx);
          app.log.warn({ event: 'demo.enabled' }, 'DEMO MODE: demo accounts with published passwords exist; never use this data directory in production');
          process.stderr.write(demoHelp(app));
        }),
      ),
    );
}

async function seedDemo(app: App, ctx: CliContext): Promise<void> {
  const by = ctx.actor();
  if (!(await app.store.getDomain(DEMO.domain))) await app.identity.addDomain(DEMO.domain, by);
  if (!(await app.identity.findUser(DEMO.mail))) {
    await app.identity.addUser({ mail: DEMO.mail, displayName: 'Demo User', password: DEMO.password, aliases: ['hello@example.org'] }, by);
  }
  if (!(await app.identity.findUser(DEMO.adminMail))) {
    await app.identity.addUser({ mail: DEMO.adminMail, displayName: 'Demo Administrator', password: DEMO.adminPassword, roles: ['admin'] }, by);
  }
  if (!(await app.store.findServiceAccount(DEMO.service))) {
    await app.identity.addServiceAccount({ name: DEMO.service, password: DEMO.servicePassword, roles: ['directory-read', 'impersonate'], description: 'Stalwart directory look-ups' }, by);
  }
}

function demoHelp(app: App): string {
  const { http, ldap } = app.config;
  return `
Portcullis demo is running.
  user:    ${DEMO.mail} / ${DEMO.password}          self-service: http://${http.listen.host}:${http.listen.port}/self/
  admin:   ${DEMO.adminMail} / ${DEMO.adminPassword}        admin UI:     http://${http.listen.host}:${http.listen.port}/admin/
  service: cn=${DEMO.service},ou=services,${ldap.baseDn} / ${DEMO.servicePassword}

Try:
  curl -s http://${http.listen.host}:${http.listen.port}/api/v1/auth/json -H 'Content-Type: application/json' \\
       -d '{"username":"${DEMO.mail}","password":"${DEMO.password}","protocol":"imap","client_ip":"192.0.2.10"}'
  ldapwhoami -x -H ldap://${ldap.listen.host}:${ldap.listen.port} -D uid=demo,ou=users,${ldap.baseDn} -w ${DEMO.password}

`;
}

function workerCount(workers: Config['workers']): number {
  return workers === 'auto' ? availableParallelism() : workers;
}

/**
 * One process serving, or a primary (migrations, demo data, the shared guard state, push-out) and
 * its workers. A worker runs this same command and only serves: the primary prepared everything.
 */
async function serve(ctx: CliContext, prepare?: (app: App) => Promise<void>): Promise<void> {
  if (cluster.isWorker) return serveAsWorker(ctx);
  const workers = workerCount(ctx.config().workers);
  const app = await ctx.open({ server: true, pushOut: workers === 1 });
  await prepare?.(app);
  const running = workers > 1 ? await startCluster(app, workers) : (await startServers(app), null);
  await untilSignal(app);
  await running?.close();
  await ctx.close();
}

async function serveAsWorker(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  // The id the primary's log lines about this worker use too.
  const log = createLogger({ level: config.log.level }).child({ worker: cluster.worker?.id ?? 0 });
  const worker = await runWorker(config, log);
  await untilSignal(worker.app);
  await worker.stop();
}

function untilSignal(app: App): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.log.info({ event: 'server.stop', signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
