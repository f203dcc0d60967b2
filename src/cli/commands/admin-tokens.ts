/** portcullis admin-token create|list|revoke — API tokens for the admin API; the token is printed once. */
import type { Command } from 'commander';
import { createAdminToken } from '../../frontends/web/admin-tokens.js';
import { adminRoleOf } from '../../frontends/web/roles.js';
import { webStoreOf } from '../../store/web-store.js';
import { table } from '../format.js';
import { action } from '../run.js';
import { parseExpiry } from './app-passwords.js';

export function registerAdminTokens(program: Command): void {
  const cmd = program.command('admin-token').description('API tokens for the admin REST API (Authorization: Bearer); they act with their user\'s roles');
  cmd
    .command('create <user> <name>')
    .description('create a token for a user holding admin, helpdesk or auditor')
    .option('--expires <date>', 'an ISO date or a duration such as 90d')
    .action(
      action(async (ctx, [login, name], o) => {
        const app = await ctx.open();
        const user = await app.identity.requireUser(login!);
        if (!adminRoleOf(user.roles)) throw new Error(`${user.login} holds no admin role (admin, helpdesk or auditor): a token would be useless`);
        const expiresAt = typeof o['expires'] === 'string' ? parseExpiry(o['expires']) : null;
        const { token, secret } = await createAdminToken(webStoreOf(app.store), { userId: user.id, name: name!, expiresAt });
        await app.store.appendAudit({ ...ctx.actor(), action: 'admin-token.create', target: `user:${user.login}`, detail: { id: token.id, name: token.name } });
        ctx.print({ id: token.id, name: token.name, user: user.login, expiresAt: expiresAt?.toISOString() ?? null, token: secret }, () =>
          [`created admin token "${token.name}" for ${user.login} (${adminRoleOf(user.roles)})`, '', `    ${secret}`, '', 'It is shown only now. Send it as "Authorization: Bearer <token>".'].join('\n'),
        );
      }),
    );
  cmd.command('list').action(
    action(async (ctx) => {
      const app = await ctx.open();
      const tokens = await webStoreOf(app.store).listAdminTokens();
      const logins = new Map<string, string>();
      for (const t of tokens) if (!logins.has(t.userId)) logins.set(t.userId, (await app.store.getUser(t.userId))?.login ?? '?');
      const rows = tokens.map((t) => ({
        id: t.id,
        name: t.name,
        user: logins.get(t.userId) ?? '?',
        createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      }));
      ctx.print(rows, () => table([['ID', 'NAME', 'USER', 'EXPIRES', 'LAST USED'], ...rows.map((r) => [r.id, r.name, r.user, r.expiresAt ?? '-', r.lastUsedAt ?? 'never'])]));
    }),
  );
  cmd.command('revoke <id>').action(
    action(async (ctx, [id]) => {
      const app = await ctx.open();
      if (!(await webStoreOf(app.store).deleteAdminToken(id!))) throw new Error(`admin token "${id}" not found`);
      await app.store.appendAudit({ ...ctx.actor(), action: 'admin-token.revoke', target: `admin-token:${id}`, detail: {} });
      ctx.print({ ok: true }, () => `revoked ${id}`);
    }),
  );
}
