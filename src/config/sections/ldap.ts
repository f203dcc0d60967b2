import { z } from 'zod';
import { cidr, listen, port } from './common.js';

/** Seconds; fractions allowed so tests can use short timeouts. */
const seconds = (min: number, max: number, def: number) => z.number().min(min).max(max).default(def);

export const ldapSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the LDAP front end.'),
    listen: listen(3389).describe('Address and port of the LDAP (plain and StartTLS) listener.'),
    ldaps: z.strictObject({ enabled: z.boolean().default(false), port: port.default(6636) }).prefault({}).describe('LDAPS (implicit TLS) on the same host; needs tls.cert and tls.key.'),
    tls: z.strictObject({ cert: z.string().optional(), key: z.string().optional() }).prefault({}).describe('Certificate chain and private key for LDAPS and StartTLS: PEM text or a path to a PEM file. Without them StartTLS is not offered.'),
    baseDn: z.string().min(1).default('dc=example,dc=org').describe('The directory\'s suffix, e.g. dc=example,dc=org, or o=libregraph-idm for OpenCloud.'),
    requireTlsForBind: z.boolean().default(false).describe('Refuse simple binds and password changes without TLS (confidentialityRequired), except from these networks.'),
    plainBindNetworks: z.array(cidr).default(['127.0.0.0/8', '::1/128']).describe('Networks allowed to bind without TLS when requireTlsForBind is set.'),
    allowAnonymousSearch: z.boolean().default(false).describe('Who may search: anonymous never by default; service accounts with directory-read everything; users their own entry.'),
    usersReadDirectory: z.boolean().default(false).describe('Let bound users search the whole directory instead of only their own entry.'),
    maxMessageBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024).describe('Largest LDAP message accepted; a bigger one closes the connection.'),
    maxFilterDepth: z.number().int().min(1).max(256).default(32).describe('Deepest nesting of &, | and ! accepted in a search filter.'),
    maxConnections: z.number().int().min(1).max(1_000_000).default(10_000).describe('Connections over this are closed at once (LDAP and LDAPS together).'),
    maxOperationsPerConnection: z.number().int().min(1).max(10_000).default(128).describe('Operations one connection may have in flight; beyond it the server stops reading from that client.'),
    maxPagedSearchesPerConnection: z.number().int().min(1).max(1000).default(16).describe('Paged searches one connection may keep open between pages.'),
    idleTimeoutSeconds: seconds(0.05, 86_400, 300).describe('A connection with no traffic for this long is closed.'),
    requestTimeoutSeconds: seconds(0.05, 3600, 30).describe('A started message must arrive whole within this time (slow senders are closed).'),
    sizeLimit: z.number().int().min(1).max(1_000_000).default(1000).describe('Server caps: the smaller of these and the client\'s limits applies. With paged results the size cap is per page.'),
    timeLimitSeconds: seconds(0.05, 3600, 30).describe('Server cap on a search\'s time (per page with paged results).'),
  })
  .prefault({});
