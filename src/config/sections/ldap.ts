import { z } from 'zod';
import { cidr, listen, port } from './common.js';

/** Seconds; fractions allowed so tests can use short timeouts. */
const seconds = (min: number, max: number, def: number) => z.number().min(min).max(max).default(def);

export const ldapSection = z
  .object({
    enabled: z.boolean().default(true),
    listen: listen(3389),
    /** LDAPS (implicit TLS) on the same host; needs tls.cert and tls.key. */
    ldaps: z.object({ enabled: z.boolean().default(false), port: port.default(6636) }).prefault({}),
    /**
     * Certificate chain and private key for LDAPS and StartTLS: PEM text or a path to a PEM file.
     * Without them StartTLS is not offered.
     */
    tls: z.object({ cert: z.string().optional(), key: z.string().optional() }).prefault({}),
    /** The directory's suffix, e.g. dc=example,dc=org, or o=libregraph-idm for OpenCloud. */
    baseDn: z.string().min(1).default('dc=example,dc=org'),
    /** Refuse simple binds and password changes without TLS (confidentialityRequired), except from these networks. */
    requireTlsForBind: z.boolean().default(false),
    plainBindNetworks: z.array(cidr).default(['127.0.0.0/8', '::1/128']),
    /** Who may search: anonymous never by default; service accounts with directory-read everything; users their own entry. */
    allowAnonymousSearch: z.boolean().default(false),
    usersReadDirectory: z.boolean().default(false),
    /** Largest LDAP message accepted; a bigger one closes the connection. */
    maxMessageBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    maxFilterDepth: z.number().int().min(1).max(256).default(32),
    /** Connections over this are closed at once (LDAP and LDAPS together). */
    maxConnections: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Operations one connection may have in flight; beyond it the server stops reading from that client. */
    maxOperationsPerConnection: z.number().int().min(1).max(10_000).default(128),
    /** Paged searches one connection may keep open between pages. */
    maxPagedSearchesPerConnection: z.number().int().min(1).max(1000).default(16),
    /** A connection with no traffic for this long is closed. */
    idleTimeoutSeconds: seconds(0.05, 86_400, 300),
    /** A started message must arrive whole within this time (slow senders are closed). */
    requestTimeoutSeconds: seconds(0.05, 3600, 30),
    /** Server caps: the smaller of these and the client's limits applies. With paged results the size cap is per page. */
    sizeLimit: z.number().int().min(1).max(1_000_000).default(1000),
    timeLimitSeconds: seconds(0.05, 3600, 30),
  })
  .prefault({});
