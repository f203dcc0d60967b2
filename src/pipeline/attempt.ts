/** An attempt: what every front end turns its request into before asking the pipeline. */
import type { Protocol } from '../identity/model.js';

export interface Attempt {
  /** The login exactly as the client typed it (may be `user%master`, a mail address or a uid). */
  login: string;
  /**
   * The secret: a password, an app password, or a bearer token (a JWT typed as a password works too).
   * null with mode 'lookup' only.
   */
  secret: string | null;
  /** The secret arrived as `Authorization: Bearer` or SASL OAUTHBEARER/XOAUTH2: only tokens are tried. */
  secretIsToken?: boolean;
  mode: 'authenticate' | 'lookup';
  /** Set when the front end knows the login names a service account (an LDAP bind DN under ou=services). */
  accountKind?: 'user' | 'service';
  protocol: Protocol;
  /** The real client's address when known (from nginx, Nauthilus fields, webhook data); null over LDAP. */
  clientIp: string | null;
  /** The address of the peer that relayed the attempt (Stalwart, nginx, the OpenCloud proxy): never counted or banned. */
  relayIp: string | null;
  tls: boolean;
  userAgent?: string;
  /** A stable client or device id, when the caller has one (Dovecot device_id, OAuth client id). */
  deviceId?: string;
  /** The front end that asked, for logs and metrics: ldap, nauthilus, nginx, opencloud, weakforced, web. */
  frontEnd: string;
  /** Fires when the requester went away: queued hashing for it is dropped. */
  signal?: AbortSignal;
}
