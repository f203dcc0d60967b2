/**
 * Authentication backends besides the local store: upstream LDAP / Active Directory, an HTTP
 * delegate, customer modules; the default order and per-domain routing. With nothing set,
 * Portcullis asks the local store only.
 *
 * ```yaml
 * backends:
 *   order: [local, corp-ad]          # logins without a domain, or in a domain no route names
 *   routes:
 *     corp.example: [corp-ad]        # alice@corp.example is asked of corp-ad only
 *   upstreams:
 *     - name: corp-ad
 *       type: ldap
 *       url: ldaps://dc1.corp.example
 *       bindDn: cn=portcullis,ou=services,dc=corp,dc=example
 *       bindPassword: ...
 *       baseDn: ou=people,dc=corp,dc=example
 *       userFilter: (&(objectClass=user)(|(sAMAccountName={local})(mail={login})))
 *       attributes: { login: sAMAccountName, id: objectGUID, groups: memberOf }
 *       enabled: { attribute: userAccountControl, type: ad-disabled-bit }
 * ```
 */
import { z } from 'zod';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const backendName = z.string().regex(NAME, 'backend names are lowercase letters, digits and dashes, starting with a letter');

/** Shared by every upstream. */
const common = {
  name: backendName.refine((n) => n !== 'local', '"local" is the built-in store; choose another name').describe('Names the backend in order, routes, logs and metrics.'),
  timeoutMs: z.number().int().min(50).max(60_000).default(5000).describe('A call that takes longer is a temporary failure (never a wrong password).'),
  cacheSeconds: z.number().int().min(0).max(3600).default(30).describe('Seconds look-ups are remembered (LDAP view, cache revalidation). 0: always ask.'),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().min(1).max(1000).default(5).describe('Consecutive failures (down, timeout, garbage) that open the circuit: then every call fails fast.'),
      openSeconds: z.number().int().min(1).max(3600).default(30).describe('Seconds before one probe call is let through again.'),
    })
    .prefault({}),
  appPasswords: z.boolean().default(true).describe('Let this backend\'s users have Portcullis app passwords (kept on a local shadow record).'),
};

const ldapUpstream = z
  .strictObject({
    type: z.literal('ldap'),
    ...common,
    url: z.string().regex(/^ldaps?:\/\/[^/]+\/?$/, 'expected ldap://host[:port] or ldaps://host[:port]'),
    startTls: z.boolean().default(false).describe('Upgrade ldap:// with StartTLS before any bind.'),
    tls: z
      .strictObject({
        caFile: z.string().min(1).optional().describe('PEM file(s) of the CA that signed the server\'s certificate; unset: the system\'s CAs.'),
        rejectUnauthorized: z.boolean().default(true).describe('Only for tests: accept any certificate.'),
        servername: z.string().min(1).optional().describe('Name checked in the certificate, when it differs from the URL\'s host.'),
      })
      .prefault({}),
    bindDn: z.string().min(1).optional().describe('Service account for searches (pooled connections); unset: anonymous searches.'),
    bindPassword: z.string().min(1).optional().describe('Password of bindDn.'),
    poolSize: z.number().int().min(1).max(64).default(4).describe('Pooled search connections.'),
    baseDn: z.string().min(1).describe('Where users are searched.'),
    userFilter: z.string().min(3).default('(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))').describe('Search-then-bind: {login}, {local} and {domain} are inserted escaped.'),
    userDnTemplate: z.string().min(3).optional().describe('Bind without a search: e.g. uid={login},ou=users,o=libregraph-idm ({login} DN-escaped).'),
    listFilter: z.string().min(3).default('(objectClass=inetOrgPerson)').describe('Who is listed in the directory view.'),
    attributes: z
      .strictObject({
        login: z.string().default('uid'),
        mail: z.string().default('mail'),
        aliases: z.string().optional().describe('Extra addresses; extra values of `mail` count as aliases too.'),
        displayName: z.string().default('displayName'),
        id: z.string().default('entryUUID').describe('openCloudUUID, entryUUID or objectGUID (binary, formatted as a UUID).'),
        passwordVersion: z.string().optional().describe('A timestamp or counter that changes with the password, e.g. pwdChangedTime, pwdLastSet or modifyTimestamp.'),
      })
      .prefault({}),
    groups: z
      .strictObject({
        source: z.enum(['memberOf', 'search', 'none']).default('search').describe('memberOf: read the user\'s memberOf DNs; search: look groups up by member; none.'),
        memberOfAttribute: z.string().default('memberOf').describe('With source memberOf: the attribute holding the group DNs.'),
        baseDn: z.string().min(1).optional().describe('Where groups are searched; default the backend\'s baseDn.'),
        filter: z.string().default('(&(objectClass=groupOfNames)(member={dn}))').describe('{dn} is the user\'s DN, {login} the login, both escaped.'),
        nameAttribute: z.string().default('cn').describe('The group attribute used as the group\'s name.'),
      })
      .prefault({}),
    enabled: z
      .strictObject({
        attribute: z.string().min(1),
        type: z.enum(['boolean', 'ad-disabled-bit']).default('boolean'),
      })
      .optional()
      .describe('The account\'s enabled flag: boolean (TRUE/FALSE, OpenCloud\'s openCloudUserEnabled) or AD\'s userAccountControl bit 2.'),
  })
  .superRefine((u, ctx) => {
    if ((u.bindDn === undefined) !== (u.bindPassword === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['bindPassword'], message: `upstream ${u.name}: bindDn and bindPassword go together` });
    }
    if (u.startTls && u.url.startsWith('ldaps:')) {
      ctx.addIssue({ code: 'custom', path: ['startTls'], message: `upstream ${u.name}: StartTLS is for ldap:// URLs; ldaps:// is TLS already` });
    }
    for (const [key, template] of [['userFilter', u.userFilter], ['listFilter', u.listFilter], ['groups.filter', u.groups.filter]] as const) {
      if (!template.startsWith('(') || !template.endsWith(')')) ctx.addIssue({ code: 'custom', path: key.split('.'), message: `upstream ${u.name}: ${key} must be an LDAP filter in parentheses` });
    }
    if (u.userDnTemplate !== undefined && !u.userDnTemplate.includes('{login}')) {
      ctx.addIssue({ code: 'custom', path: ['userDnTemplate'], message: `upstream ${u.name}: userDnTemplate must contain {login}` });
    }
  });

const httpUpstream = z.strictObject({
  type: z.literal('http'),
  ...common,
  url: z.string().url().refine((u) => /^https?:/.test(u), 'expected an http:// or https:// URL'),
  secret: z.string().min(16, 'expected a shared secret of at least 16 characters').describe('Shared secret: the body is signed with HMAC-SHA256 in the signature header.'),
  signatureHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Portcullis-Signature').describe('Header carrying the base64 HMAC-SHA256 of the request body.'),
  lookup: z.boolean().default(false).describe('The service also answers look-ups (`"mode":"lookup"`, no password).'),
});

const moduleUpstream = z.strictObject({
  type: z.literal('module'),
  ...common,
  module: z.string().min(1).describe('Path of a JS/TS module (relative to the working directory) or a package name.'),
  export: z.string().min(1).default('createBackend').describe('The export holding the factory.'),
  options: z.record(z.string(), z.unknown()).default({}).describe('Passed to the factory as is.'),
});

export const upstreamSchema = z.discriminatedUnion('type', [ldapUpstream, httpUpstream, moduleUpstream]);

const domain = z.string().regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, 'expected a domain such as corp.example');

export const backendsSection = z
  .strictObject({
    order: z.array(backendName).min(1).default(['local']).describe('Backends asked, in order, for logins without a domain or in a domain no route names.'),
    routes: z.record(domain, z.array(backendName).min(1)).default({}).describe('Mail domain to the backends asked for its logins, instead of order.'),
    upstreams: z.array(upstreamSchema).default([]).describe('Upstream LDAP / Active Directory servers, HTTP delegates and customer modules.'),
  })
  .superRefine((b, ctx) => {
    const defined = new Set<string>(['local']);
    b.upstreams.forEach((u, i) => {
      if (defined.has(u.name)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: `duplicate backend name ${u.name}` });
      defined.add(u.name);
    });
    const used = new Set<string>();
    const check = (names: string[], path: (string | number)[]) =>
      names.forEach((n, i) => {
        used.add(n);
        if (!defined.has(n)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown backend ${n}; define it under backends.upstreams or use local` });
      });
    check(b.order, ['order']);
    for (const [d, names] of Object.entries(b.routes)) check(names, ['routes', d]);
    b.upstreams.forEach((u, i) => {
      if (!used.has(u.name)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'name'], message: `backend ${u.name} is in neither backends.order nor any route` });
    });
  })
  .prefault({});

export type BackendsConfig = z.infer<typeof backendsSection>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type LdapUpstreamConfig = Extract<UpstreamConfig, { type: 'ldap' }>;
export type HttpUpstreamConfig = Extract<UpstreamConfig, { type: 'http' }>;
export type ModuleUpstreamConfig = Extract<UpstreamConfig, { type: 'module' }>;
