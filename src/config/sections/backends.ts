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
  name: backendName.refine((n) => n !== 'local', '"local" is the built-in store; choose another name'),
  /** A call that takes longer is a temporary failure (never a wrong password). */
  timeoutMs: z.number().int().min(50).max(60_000).default(5000),
  /** Seconds look-ups are remembered (LDAP view, cache revalidation). 0: always ask. */
  cacheSeconds: z.number().int().min(0).max(3600).default(30),
  breaker: z
    .strictObject({
      /** Consecutive failures (down, timeout, garbage) that open the circuit: then every call fails fast. */
      failureThreshold: z.number().int().min(1).max(1000).default(5),
      /** Seconds before one probe call is let through again. */
      openSeconds: z.number().int().min(1).max(3600).default(30),
    })
    .prefault({}),
  /** Let this backend's users have Portcullis app passwords (kept on a local shadow record). */
  appPasswords: z.boolean().default(true),
};

const ldapUpstream = z
  .strictObject({
    type: z.literal('ldap'),
    ...common,
    url: z.string().regex(/^ldaps?:\/\/[^/]+\/?$/, 'expected ldap://host[:port] or ldaps://host[:port]'),
    /** Upgrade ldap:// with StartTLS before any bind. */
    startTls: z.boolean().default(false),
    tls: z
      .strictObject({
        /** PEM file(s) of the CA that signed the server's certificate; unset: the system's CAs. */
        caFile: z.string().min(1).optional(),
        /** Only for tests: accept any certificate. */
        rejectUnauthorized: z.boolean().default(true),
        /** Name checked in the certificate, when it differs from the URL's host. */
        servername: z.string().min(1).optional(),
      })
      .prefault({}),
    /** Service account for searches (pooled connections); unset: anonymous searches. */
    bindDn: z.string().min(1).optional(),
    bindPassword: z.string().min(1).optional(),
    poolSize: z.number().int().min(1).max(64).default(4),
    baseDn: z.string().min(1),
    /** Search-then-bind: {login}, {local} and {domain} are inserted escaped. */
    userFilter: z.string().min(3).default('(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))'),
    /** Bind without a search: e.g. uid={login},ou=users,o=libregraph-idm ({login} DN-escaped). */
    userDnTemplate: z.string().min(3).optional(),
    /** Who is listed in the directory view. */
    listFilter: z.string().min(3).default('(objectClass=inetOrgPerson)'),
    attributes: z
      .strictObject({
        login: z.string().default('uid'),
        mail: z.string().default('mail'),
        /** Extra addresses; extra values of `mail` count as aliases too. */
        aliases: z.string().optional(),
        displayName: z.string().default('displayName'),
        /** openCloudUUID, entryUUID or objectGUID (binary, formatted as a UUID). */
        id: z.string().default('entryUUID'),
        /** A timestamp or counter that changes with the password, e.g. pwdChangedTime, pwdLastSet or modifyTimestamp. */
        passwordVersion: z.string().optional(),
      })
      .prefault({}),
    groups: z
      .strictObject({
        /** memberOf: read the user's memberOf DNs; search: look groups up by member; none. */
        source: z.enum(['memberOf', 'search', 'none']).default('search'),
        memberOfAttribute: z.string().default('memberOf'),
        /** Where groups are searched; default the backend's baseDn. */
        baseDn: z.string().min(1).optional(),
        /** {dn} is the user's DN, {login} the login, both escaped. */
        filter: z.string().default('(&(objectClass=groupOfNames)(member={dn}))'),
        nameAttribute: z.string().default('cn'),
      })
      .prefault({}),
    /** The account's enabled flag: boolean (TRUE/FALSE, OpenCloud's openCloudUserEnabled) or AD's userAccountControl bit 2. */
    enabled: z
      .strictObject({
        attribute: z.string().min(1),
        type: z.enum(['boolean', 'ad-disabled-bit']).default('boolean'),
      })
      .optional(),
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
  /** Shared secret: the body is signed with HMAC-SHA256 in the signature header. */
  secret: z.string().min(16, 'expected a shared secret of at least 16 characters'),
  signatureHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Portcullis-Signature'),
  /** The service also answers look-ups (`"mode":"lookup"`, no password). */
  lookup: z.boolean().default(false),
});

const moduleUpstream = z.strictObject({
  type: z.literal('module'),
  ...common,
  /** Path of a JS/TS module (relative to the working directory) or a package name. */
  module: z.string().min(1),
  /** The export holding the factory. */
  export: z.string().min(1).default('createBackend'),
  /** Passed to the factory as is. */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const upstreamSchema = z.discriminatedUnion('type', [ldapUpstream, httpUpstream, moduleUpstream]);

const domain = z.string().regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, 'expected a domain such as corp.example');

export const backendsSection = z
  .strictObject({
    order: z.array(backendName).min(1).default(['local']),
    routes: z.record(domain, z.array(backendName).min(1)).default({}),
    upstreams: z.array(upstreamSchema).default([]),
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
