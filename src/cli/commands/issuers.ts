/** portcullis issuer add|list|delete — trusted token issuers, through the identity service (validated, audited). */
import type { Command } from 'commander';
import type { IssuerRequest, PublicIssuer } from '../../identity/issuers.js';
import { keyValues, table } from '../format.js';
import { action } from '../run.js';
import { readSecret } from '../secret-input.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

function wire(i: PublicIssuer) {
  return { ...i, createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString() };
}

function leeway(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--leeway "${String(value)}" is invalid: expected whole seconds`);
  return n;
}

export function registerIssuers(program: Command): void {
  const issuer = program.command('issuer').description('manage trusted token issuers (OIDC / OAuth 2 access tokens)');
  issuer
    .command('add <name>')
    .description('trust an issuer; the client secret, if any, is read from a prompt or the first line of stdin')
    .requiredOption('--issuer <url>', 'the exact "iss" value, e.g. https://idp.example.org/realms/mail')
    .requiredOption('--account-claim <claim>', 'the claim naming the account, e.g. preferred_username or email')
    .option('--audience <aud...>', 'accepted "aud" values (none: any)')
    .option('--jwks-uri <url>', 'key set URL (default: discovered from the issuer)')
    .option('--algorithm <alg...>', 'allowed JWS algorithms (default: asymmetric ones)')
    .option('--introspection-url <url>', 'RFC 7662 endpoint for opaque tokens')
    .option('--client-id <id>', 'client id for introspection')
    .option('--client-secret', 'prompt for the client secret (never given on the command line)')
    .option('--leeway <seconds>', 'clock skew allowed')
    .option('--disabled', 'add it switched off')
    .action(
      action(async (ctx, [name], o) => {
        const app = await ctx.open();
        const request: IssuerRequest = { name: name!, issuer: str(o['issuer'])!, accountClaim: str(o['accountClaim'])! };
        const optional: Partial<IssuerRequest> = {
          audiences: list(o['audience']), algorithms: list(o['algorithm']), jwksUri: str(o['jwksUri']), introspectionUrl: str(o['introspectionUrl']),
          clientId: str(o['clientId']), leewaySeconds: leeway(o['leeway']), enabled: o['disabled'] === true ? false : undefined,
        };
        for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(request, { [key]: value });
        if (o['clientSecret'] === true) request.clientSecret = await readSecret('Client secret: ');
        const added = await app.identity.addIssuer(request, ctx.actor());
        ctx.print(wire(added), () => `trusting ${added.issuer} as "${added.name}" (id ${added.id})`);
      }),
    );
  issuer.command('list').action(
    action(async (ctx) => {
      const app = await ctx.open();
      const all = await app.identity.listIssuers();
      ctx.print(all.map(wire), () =>
        table([
          ['ID', 'NAME', 'ISSUER', 'CLAIM', 'AUDIENCES', 'SECRET', 'ENABLED'],
          ...all.map((i) => [i.id, i.name, i.issuer, i.accountClaim, i.audiences.join(',') || '(any)', i.hasClientSecret ? 'set' : '-', i.enabled ? 'yes' : 'no']),
        ]),
      );
    }),
  );
  issuer
    .command('show <issuer>')
    .description('one issuer, by id, issuer URL or name')
    .action(
      action(async (ctx, [key]) => {
        const app = await ctx.open();
        const found = (await app.identity.listIssuers()).find((i) => i.id === key || i.issuer === key || i.name === key);
        if (!found) throw new Error(`issuer "${key}" not found`);
        ctx.print(wire(found), () =>
          keyValues([
            ['id', found.id], ['name', found.name], ['issuer', found.issuer], ['account claim', found.accountClaim],
            ['audiences', found.audiences.join(', ') || '(any)'], ['jwks uri', found.jwksUri ?? '(discovered)'], ['algorithms', found.algorithms.join(', ') || '(asymmetric defaults)'],
            ['introspection', found.introspectionUrl ?? '-'], ['client id', found.clientId ?? '-'], ['client secret', found.hasClientSecret ? 'set' : '-'], ['enabled', found.enabled ? 'yes' : 'no'],
          ]),
        );
      }),
    );
  issuer
    .command('delete <issuer>')
    .description('stop trusting an issuer, by id, issuer URL or name')
    .action(
      action(async (ctx, [key]) => {
        const app = await ctx.open();
        await app.identity.deleteIssuer(key!, ctx.actor());
        ctx.print({ ok: true }, () => `no longer trusting ${key}`);
      }),
    );
}
