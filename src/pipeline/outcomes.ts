/**
 * The one catalogue of refusal reasons, mapped in one table to every protocol's answer. The public
 * text never says which part of a credential was wrong; the detail goes to the log only.
 */
export const REFUSALS = {
  'invalid-credentials': { ldap: 49, http: 403, nginx: 'Invalid login or password', public: 'invalid login or password', temporary: false },
  'account-disabled': { ldap: 49, http: 403, nginx: 'Invalid login or password', public: 'invalid login or password', temporary: false },
  'scope-not-allowed': { ldap: 49, http: 403, nginx: 'Invalid login or password', public: 'invalid login or password', temporary: false },
  'empty-password': { ldap: 53, http: 400, nginx: 'Invalid login or password', public: 'a password is required', temporary: false },
  banned: { ldap: 49, http: 403, nginx: 'Too many invalid attempts, try again later', public: 'too many invalid attempts', temporary: false },
  'rate-limited': { ldap: 51, http: 429, nginx: 'Too many invalid attempts, try again later', public: 'too many invalid attempts', temporary: true },
  blocklisted: { ldap: 49, http: 403, nginx: 'Access denied', public: 'access denied', temporary: false },
  'tls-required': { ldap: 13, http: 403, nginx: 'TLS required', public: 'TLS is required', temporary: false },
  busy: { ldap: 51, http: 503, nginx: 'Temporary server problem, try again later', public: 'server busy, try again', temporary: true },
  'temporary-failure': { ldap: 52, http: 500, nginx: 'Temporary server problem, try again later', public: 'temporary failure, try again', temporary: true },
} as const satisfies Record<string, RefusalMapping>;

interface RefusalMapping {
  /** LDAP result code for a bind. */
  ldap: number;
  /** HTTP status for the JSON APIs. */
  http: number;
  /** Auth-Status text nginx shows the client. */
  nginx: string;
  /** Text safe to show anyone. */
  public: string;
  /** A retry may succeed without changing the credential: never counted as a wrong guess. */
  temporary: boolean;
}

export type RefusalReason = keyof typeof REFUSALS;
